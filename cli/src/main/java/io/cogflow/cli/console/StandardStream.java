package io.cogflow.cli.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's standard output streams, and whether each is a terminal. {@link System#console()} cannot tell: it
 * describes stdin and stdout together and says nothing of stderr, so {@code cogflow evaluate 2> file} from a
 * terminal would still look interactive. On Linux a stream's file descriptor names its target under
 * {@code /proc/self/fd}; where that cannot be read, the console is the best remaining guess.
 */
public enum StandardStream {
    STDOUT(1),
    STDERR(2);

    private final int fd;

    StandardStream(int fd) {
        this.fd = fd;
    }

    /**
     * Whether this stream is a terminal now (asked each time: a stream can be redirected by a parent at start).
     * A launcher that puts a pipe between the process and the terminal says what is behind the pipe with
     * {@code -Dcogflow.stdout.terminal} / {@code -Dcogflow.stderr.terminal} (the ./cogflow wrapper filters stderr).
     */
    public boolean isTerminal() {
        String told = System.getProperty("cogflow." + name().toLowerCase(java.util.Locale.ROOT) + ".terminal");
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        try {
            return isTerminalDevice(Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd))).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** A pseudo-terminal ({@code /dev/pts/N}) or a terminal device ({@code /dev/tty}, {@code /dev/ttyN}, ...). */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    }
}
