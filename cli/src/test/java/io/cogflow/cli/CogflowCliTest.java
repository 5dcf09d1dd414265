package io.cogflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cogflow.model.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CogflowCliTest {

    @Test
    void versionIsThePomVersion() throws Exception {
        // the parent version in this module's pom is its project.version
        String pom = XPathFactory.newInstance().newXPath().evaluate("/project/parent/version",
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile())).strip();
        CliRun r = CliRun.of("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out().strip()).isEqualTo("cogflow " + pom);
        assertThat(pom).isNotBlank().doesNotContain("${");
    }

    @Test
    void theCompletionScriptCompletesSubcommandsInBash(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        CliRun r = CliRun.of("generate-completion");
        assertThat(r.exit()).as(r.err()).isZero();
        Path script = dir.resolve("cogflow-completion.bash");
        Files.writeString(script, r.out());
        assertThat(complete(script, "cogflow", "")).contains("demo", "submit", "bench", "evaluate",
                "generate-completion");
        assertThat(complete(script, "cogflow", "be")).containsExactly("bench");
        assertThat(complete(script, "cogflow", "bench", "c")).containsExactly("cold-start", "corpus", "chaos");
        assertThat(complete(script, "cogflow", "bench", "cor")).containsExactly("corpus");
        assertThat(complete(script, "cogflow", "bench", "load", "--j")).containsExactly("--json");
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
        // stderr has bash's complaint that compopt runs outside a real completion; only the candidates matter
        Process p = new ProcessBuilder("bash", "-c", program).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output.lines().filter(l -> !l.isBlank()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cogvideox_2b_tiny", "cogvideox_5b_tiny", "cogvideox15_tiny"})
    void parityPassesOnTheReferenceCases(String family) {
        CliRun r = CliRun.of("parity", "transformer", "--model", Golden.path(family).toString(),
                "--golden", Golden.path(family + "/golden.safetensors").toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("max |err|").contains("rel L2").contains("PASS");
    }

    @Test
    void parityFailsWithANonZeroExitWhenOutputsDiffer() {
        // same shapes, different family: the 5B weights cannot reproduce the 2B reference
        CliRun r = CliRun.of("parity", "transformer", "--model", Golden.path("cogvideox_5b_tiny").toString(),
                "--golden", Golden.path("cogvideox_2b_tiny/golden.safetensors").toString());
        assertThat(r.exit()).isEqualTo(Cogflow.FAIL);
        assertThat(r.out()).contains("FAIL");
    }

    @Test
    void errorsAreOneLineWithoutAStackTrace() {
        CliRun r = CliRun.of("parity", "transformer", "--model", "/no/such/model", "--golden", "/no/such/file");
        assertThat(r.exit()).isEqualTo(Cogflow.ERROR);
        assertThat(r.err().strip()).isEqualTo("cogflow: model not found: /no/such/model");
        assertThat(CliRun.of("parity", "transformer").exit()).isEqualTo(2);
    }

    @Test
    void benchPrintsThroughputNextToMatMul() {
        CliRun r = CliRun.of("bench", "transformer", "--preset", "tiny-2b", "--batch", "1,2", "--min-runs", "2",
                "--min-seconds", "0");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("MatMul 2048^3:").contains("GFLOP/s").containsPattern("tiny-2b\\s+2\\s+60\\s");
    }

    @Test
    void vaeParityComparesEncoderAndChunkedDecoder() {
        CliRun r = CliRun.of("parity", "vae", "--model", Golden.path("vae_tiny").toString(),
                "--golden", Golden.path("vae_tiny/golden.safetensors").toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("latent_mean").contains("latent_logvar").contains("decoded").contains("PASS");
    }

    @Test
    void t5ParityPassesAndAMismatchFails() {
        CliRun ok = CliRun.of("parity", "t5", "--model", Golden.path("t5_tiny").toString(),
                "--golden", Golden.path("t5_tiny/golden.safetensors").toString());
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("last_hidden_state").contains("PASS");
        // the VAE golden file has no input_ids: a clear one-line error, not a stack trace
        CliRun bad = CliRun.of("parity", "t5", "--model", Golden.path("t5_tiny").toString(),
                "--golden", Golden.path("vae_tiny/golden.safetensors").toString());
        assertThat(bad.exit()).isEqualTo(Cogflow.ERROR);
        assertThat(bad.err()).contains("input_ids").doesNotContain("\tat ");
    }

    @Test
    void vaeAndT5BenchmarksPrintPerFrameAndPerPromptTimes() {
        CliRun vae = CliRun.of("bench", "vae", "--size", "32x32", "--latent-frames", "3", "--min-runs", "1",
                "--min-seconds", "0");
        assertThat(vae.exit()).as(vae.err()).isZero();
        assertThat(vae.out()).contains("ms/frame").containsPattern("decode\\s+32x32\\s+3\\s+9\\s");
        CliRun t5 = CliRun.of("bench", "t5", "--batch", "1", "--length", "16", "--min-runs", "1", "--min-seconds", "0");
        assertThat(t5.exit()).as(t5.err()).isZero();
        assertThat(t5.out()).contains("ms/prompt").containsPattern("\\s+1\\s+16\\s");
    }

    @Test
    void encodeBenchmarkMeasuresMp4QualityWithoutExternalPrograms() {
        CliRun r = CliRun.of("bench", "encode", "--frames", "9", "--height", "96", "--width", "128", "--format",
                "mp4,png-sheet", "--min-runs", "1", "--min-seconds", "0");
        assertThat(r.exit()).as(r.err()).isZero();
        // columns: format, first ms, median ms, ms/frame, bytes, PSNR dB, runs, encoder
        Matcher mp4 = Pattern.compile("(?m)^mp4\\s+(?:\\S+\\s+){4}(\\S+)")
                .matcher(r.out());
        assertThat(mp4.find()).as(r.out()).isTrue();
        assertThat(Double.parseDouble(mp4.group(1))).isGreaterThan(30);
        assertThat(r.out()).containsPattern("(?m)^png-sheet\\s+(?:\\S+\\s+){4}NaN\\s");
    }

    @Test
    void transformerBenchJsonIsOneDocumentWithTheTableOnStderr() {
        CliRun r = CliRun.of("bench", "transformer", "--preset", "tiny-2b", "--batch", "1,2", "--min-runs", "2",
                "--min-seconds", "0", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("MatMul 2048^3:").containsPattern("tiny-2b\\s+2\\s+60\\s");
        JsonNode n = JsonDocument.parse(r.out());
        assertThat(JsonDocument.number(n.get("machine"), "cores")).isPositive();
        assertThat(JsonDocument.number(n, "matmul_gflops")).isPositive();
        assertThat(JsonDocument.number(n, "matmul_gflops_after")).isPositive();
        assertThat(n.get("intra_op_threads").isNull()).isTrue();
        JsonNode config = n.get("configs").get(0);
        assertThat(config.get("name").asText()).isEqualTo("tiny-2b");
        assertThat(JsonDocument.number(config, "parameters")).isEqualTo(57_360);
        JsonNode row = config.get("rows").get(1);
        assertThat(JsonDocument.number(row, "batch")).isEqualTo(2);
        assertThat(JsonDocument.number(row, "tokens")).isEqualTo(60);
        assertThat(JsonDocument.number(row, "runs")).isGreaterThanOrEqualTo(2);
        assertThat(JsonDocument.number(row, "ms_per_sample")).isEqualTo(JsonDocument.number(row, "median_ms") / 2);
        assertThat(JsonDocument.number(row, "gflops")).isPositive();
        assertThat(JsonDocument.number(row, "gflop")).isPositive();
    }

    @Test
    void vaeAndT5BenchJsonCarryTheirRows() {
        CliRun vae = CliRun.of("bench", "vae", "--size", "32x32", "--latent-frames", "3", "--min-runs", "1",
                "--min-seconds", "0", "--encode", "--json");
        assertThat(vae.exit()).as(vae.err()).isZero();
        JsonNode v = JsonDocument.parse(vae.out());
        assertThat(v.get("config_file").isNull()).isTrue();
        assertThat(v.get("rows")).hasSize(2);
        JsonNode decode = v.get("rows").get(0);
        assertThat(decode.get("operation").asText()).isEqualTo("decode");
        assertThat(List.of(JsonDocument.number(decode, "height"), JsonDocument.number(decode, "width"),
                JsonDocument.number(decode, "latent_frames"), JsonDocument.number(decode, "video_frames")))
                .containsExactly(32.0, 32.0, 3.0, 9.0);
        assertThat(JsonDocument.number(decode, "ms_per_frame")).isPositive();
        assertThat(v.get("rows").get(1).get("operation").asText()).isEqualTo("encode");

        CliRun t5 = CliRun.of("bench", "t5", "--batch", "1,2", "--length", "16", "--min-runs", "1", "--min-seconds", "0",
                "--json");
        assertThat(t5.exit()).as(t5.err()).isZero();
        JsonNode t = JsonDocument.parse(t5.out());
        assertThat(t.get("rows")).hasSize(2);
        assertThat(JsonDocument.number(t.get("rows").get(1), "batch")).isEqualTo(2);
        assertThat(JsonDocument.number(t.get("rows").get(1), "length")).isEqualTo(16);
        assertThat(JsonDocument.number(t.get("rows").get(1), "ms_per_prompt")).isPositive();
    }

    @Test
    void encodeBenchJsonHasAnUnmeasuredPsnrAsNull() {
        CliRun r = CliRun.of("bench", "encode", "--frames", "9", "--height", "32", "--width", "32", "--format",
                "gif,png-sheet", "--min-runs", "1", "--min-seconds", "0", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode n = JsonDocument.parse(r.out());
        assertThat(JsonDocument.number(n, "fps")).isEqualTo(8);
        JsonNode gif = n.get("rows").get(0);
        assertThat(gif.get("format").asText()).isEqualTo("GIF");
        assertThat(JsonDocument.number(gif, "psnr_db")).isPositive();
        assertThat(JsonDocument.number(gif, "bytes")).isPositive();
        assertThat(JsonDocument.number(gif, "first_ms")).isPositive();
        assertThat(JsonDocument.number(gif, "ms_per_frame")).isPositive();
        JsonNode sheet = n.get("rows").get(1);
        assertThat(sheet.get("format").asText()).isEqualTo("PNG_SHEET");
        assertThat(sheet.get("psnr_db").isNull()).isTrue();
    }

    @Test
    void generateBenchJsonHasTheMedianStagesPerBatch() {
        CliRun r = CliRun.of("bench", "generate", "--model", io.cogflow.job.TestModels.plumbing().toString(), "--steps",
                "2", "--runs", "1", "--batch", "1,2", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode n = JsonDocument.parse(r.out());
        assertThat(n.get("size").get("width").asInt()).isEqualTo(64);
        assertThat(JsonDocument.number(n, "steps")).isEqualTo(2);
        assertThat(JsonDocument.number(n, "guidance")).isEqualTo(6);
        assertThat(JsonDocument.number(n, "model_load_ms")).isPositive();
        JsonNode row = n.get("rows").get(1);
        assertThat(JsonDocument.number(row, "batch")).isEqualTo(2);
        assertThat(JsonDocument.number(row, "runs")).isEqualTo(1);
        assertThat(JsonDocument.number(row, "encode_ms_per_video")).isPositive();
        assertThat(JsonDocument.number(row.get("median"), "denoise_ms")).isPositive();
        assertThat(JsonDocument.number(row.get("median"), "ms_per_step")).isPositive();
        assertThat(JsonDocument.number(row.get("median"), "total_ms")).isPositive();
    }

    @Test
    void tokenizerParityMatchesEveryGoldenCaseExactly() {
        CliRun r = CliRun.of("parity", "tokenizer", "--model", Golden.path("spm_tiny/spiece.model").toString(),
                "--golden", Golden.path("spm_tiny/golden.json").toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("6/6 cases match").contains("PASS");
    }
}
