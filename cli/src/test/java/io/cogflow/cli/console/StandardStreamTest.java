package io.cogflow.cli.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class StandardStreamTest {

    /** Prints what {@link StandardStream} says of this process's streams; run as a child process below. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println("stdout=" + StandardStream.STDOUT.isTerminal() + " stderr="
                    + StandardStream.STDERR.isTerminal());
        }
    }

    @Test
    void terminalDevicesAreTheTtysAndPseudoTerminals() {
        assertThat(StandardStream.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(StandardStream.isTerminalDevice("/dev/tty")).isTrue();
        assertThat(StandardStream.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(StandardStream.isTerminalDevice("pipe:[48213]")).isFalse();
        assertThat(StandardStream.isTerminalDevice("/dev/null")).isFalse();
        assertThat(StandardStream.isTerminalDevice("/tmp/evaluate.log")).isFalse();
    }

    @Test
    void pipesAndFilesAreNotTerminals(@TempDir Path dir) throws Exception {
        assertThat(probeWithPipedStdout(dir)).isEqualTo("stdout=false stderr=false");
    }

    /** The ./cogflow wrapper pipes stderr through a filter and says whether a terminal is behind it. */
    @Test
    void aLauncherSaysWhatIsBehindItsPipe(@TempDir Path dir) throws Exception {
        assertThat(probeWithPipedStdout(dir, "-Dcogflow.stderr.terminal=true")).isEqualTo("stdout=false stderr=true");
    }

    /** What {@link Probe} says in a child JVM whose stdout is a pipe and stderr a file. */
    private static String probeWithPipedStdout(Path dir, String... jvmOptions) throws Exception {
        Path err = dir.resolve("err.txt");
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(err)).isTrue();
        return out.strip();
    }

    /**
     * Under a pseudo-terminal (util-linux script, part of every Debian), stdout is a terminal and a redirected
     * stderr is judged apart.
     */
    @Test
    void eachStreamIsJudgedOnItsOwn(@TempDir Path dir) throws Exception {
        Path err = dir.resolve("err.txt");
        String command = "'" + java() + "' -cp '" + System.getProperty("java.class.path") + "' "
                + "'" + Probe.class.getName() + "' 2> '" + err + "'";
        Process p = new ProcessBuilder(List.of("/usr/bin/script", "-qec", command, "/dev/null"))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as(out + Files.readString(err)).contains("stdout=true stderr=false");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
