package io.cogflow.cli;

import io.cogflow.model.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CogflowCliTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run cogflow(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Cogflow.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void versionIsThePomVersion() throws Exception {
        // the parent version in this module's pom is its project.version
        String pom = XPathFactory.newInstance().newXPath().evaluate("/project/parent/version",
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile())).strip();
        Run r = cogflow("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out().strip()).isEqualTo("cogflow " + pom);
        assertThat(pom).isNotBlank().doesNotContain("${");
    }

    @Test
    void theCompletionScriptCompletesSubcommandsInBash(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Run r = cogflow("generate-completion");
        assertThat(r.exit()).as(r.err()).isZero();
        Path script = dir.resolve("cogflow-completion.bash");
        Files.writeString(script, r.out());
        assertThat(complete(script, "cogflow", "")).contains("demo", "submit", "bench", "evaluate",
                "generate-completion");
        assertThat(complete(script, "cogflow", "be")).containsExactly("bench");
        assertThat(complete(script, "cogflow", "bench", "c")).containsExactly("cold-start");
    }

    /** What bash completes for the last word, asking the script's completion function as bash would. */
    private static List<String> complete(Path script, String... words) throws Exception {
        StringBuilder array = new StringBuilder();
        for (String w : words) {
            array.append(" '").append(w).append("'");
        }
        String program = "source '" + script + "'\n"
                + "COMP_WORDS=(" + array + ")\nCOMP_CWORD=" + (words.length - 1) + "\n"
                + "COMP_LINE=\"${COMP_WORDS[*]}\"\nCOMP_POINT=${#COMP_LINE}\n"
                + "_complete_cogflow\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("bash", "-c", program).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output.lines().filter(l -> !l.isBlank()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cogvideox_2b_tiny", "cogvideox_5b_tiny", "cogvideox15_tiny"})
    void parityPassesOnTheReferenceCases(String family) {
        Run r = cogflow("parity", "transformer", "--model", Golden.path(family).toString(),
                "--golden", Golden.path(family + "/golden.safetensors").toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("max |err|").contains("rel L2").contains("PASS");
    }

    @Test
    void parityFailsWithANonZeroExitWhenOutputsDiffer() {
        // same shapes, different family: the 5B weights cannot reproduce the 2B reference
        Run r = cogflow("parity", "transformer", "--model", Golden.path("cogvideox_5b_tiny").toString(),
                "--golden", Golden.path("cogvideox_2b_tiny/golden.safetensors").toString());
        assertThat(r.exit()).isEqualTo(Cogflow.FAIL);
        assertThat(r.out()).contains("FAIL");
    }

    @Test
    void errorsAreOneLineWithoutAStackTrace() {
        Run r = cogflow("parity", "transformer", "--model", "/no/such/model", "--golden", "/no/such/file");
        assertThat(r.exit()).isEqualTo(Cogflow.ERROR);
        assertThat(r.err().strip()).isEqualTo("cogflow: model not found: /no/such/model");
        assertThat(cogflow("parity", "transformer").exit()).isEqualTo(2);
    }

    @Test
    void benchPrintsThroughputNextToMatMul() {
        Run r = cogflow("bench", "transformer", "--preset", "tiny-2b", "--batch", "1,2", "--min-runs", "2",
                "--min-seconds", "0");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("MatMul 2048^3:").contains("GFLOP/s").containsPattern("tiny-2b\\s+2\\s+60\\s");
    }

    @Test
    void vaeParityComparesEncoderAndChunkedDecoder() {
        Run r = cogflow("parity", "vae", "--model", Golden.path("vae_tiny").toString(),
                "--golden", Golden.path("vae_tiny/golden.safetensors").toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("latent_mean").contains("latent_logvar").contains("decoded").contains("PASS");
    }

    @Test
    void t5ParityPassesAndAMismatchFails() {
        Run ok = cogflow("parity", "t5", "--model", Golden.path("t5_tiny").toString(),
                "--golden", Golden.path("t5_tiny/golden.safetensors").toString());
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("last_hidden_state").contains("PASS");
        // the VAE golden file has no input_ids: a clear one-line error, not a stack trace
        Run bad = cogflow("parity", "t5", "--model", Golden.path("t5_tiny").toString(),
                "--golden", Golden.path("vae_tiny/golden.safetensors").toString());
        assertThat(bad.exit()).isEqualTo(Cogflow.ERROR);
        assertThat(bad.err()).contains("input_ids").doesNotContain("\tat ");
    }

    @Test
    void vaeAndT5BenchmarksPrintPerFrameAndPerPromptTimes() {
        Run vae = cogflow("bench", "vae", "--size", "32x32", "--latent-frames", "3", "--min-runs", "1",
                "--min-seconds", "0");
        assertThat(vae.exit()).as(vae.err()).isZero();
        assertThat(vae.out()).contains("ms/frame").containsPattern("decode\\s+32x32\\s+3\\s+9\\s");
        Run t5 = cogflow("bench", "t5", "--batch", "1", "--length", "16", "--min-runs", "1", "--min-seconds", "0");
        assertThat(t5.exit()).as(t5.err()).isZero();
        assertThat(t5.out()).contains("ms/prompt").containsPattern("\\s+1\\s+16\\s");
    }

    @Test
    void tokenizerParityMatchesEveryGoldenCaseExactly() {
        Run r = cogflow("parity", "tokenizer", "--model", Golden.path("spm_tiny/spiece.model").toString(),
                "--golden", Golden.path("spm_tiny/golden.json").toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("6/6 cases match").contains("PASS");
    }
}
