package io.cogflow.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/**
 * {@code --json} for the commands whose output other programs read. With it, stdout carries exactly one JSON
 * document — the command's result record, written by {@link ResultJson} — and the human-readable text goes to
 * stderr, so {@code cogflow bench load --json | jq} sees nothing else and a person still sees the run.
 */
final class JsonOutput {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--json", description = "Print the result as one JSON document on stdout (snake_case keys); "
            + "the text goes to stderr.")
    boolean json;

    /** Where the human-readable text goes: stdout, or stderr under --json. */
    PrintWriter text() {
        return json ? command.commandLine().getErr() : command.commandLine().getOut();
    }

    /** Under --json, writes the result to stdout; without it the text already said everything. */
    void result(Object result) {
        if (json) {
            ResultJson.write(command.commandLine().getOut(), result);
        }
    }
}
