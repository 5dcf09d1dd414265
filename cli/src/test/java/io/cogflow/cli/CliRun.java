package io.cogflow.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** One in-process run of the cogflow command line, as a user would type it, with what it printed. */
record CliRun(int exit, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = Cogflow.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** Fails with everything the command printed unless it exited 0; returns its standard output. */
    String succeeded() {
        assertThat(exit).as(out + "\n" + err).isZero();
        return out;
    }
}
