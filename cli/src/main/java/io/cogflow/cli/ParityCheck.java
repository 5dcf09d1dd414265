package io.cogflow.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * A {@code cogflow parity} subcommand: compares one component with its reference outputs, prints what it compared
 * and ends with PASS (exit 0) or FAIL, the same way for every component.
 */
abstract class ParityCheck implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return ParityCommand.verdict(out, check(out));
    }

    /** Runs the comparison, prints its lines to {@code out} and returns whether it passed. */
    abstract boolean check(PrintWriter out);
}
