package io.cogflow.cli;

import io.cogflow.cli.console.StandardStream;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * The command line's writer on one of this process's standard streams, knowing which one, so a command can ask
 * whether what it writes to is a terminal (progress redrawn in place) or not (plain lines). Any other writer — one
 * a caller set, such as a test's StringWriter — is not a terminal.
 */
final class StandardStreamWriter extends PrintWriter {
    private final StandardStream stream;

    StandardStreamWriter(StandardStream stream) {
        // the charset picocli's own default writers use
        super(new OutputStreamWriter(stream == StandardStream.STDOUT ? System.out : System.err,
                Charset.defaultCharset()), true);
        this.stream = stream;
    }

    static boolean isTerminal(PrintWriter writer) {
        return writer instanceof StandardStreamWriter w && w.stream.isTerminal();
    }
}
