package io.cogflow.cli;

import io.cogflow.model.export.ModelKeys;
import io.cogflow.model.export.ModelSignature;
import io.cogflow.model.export.ModelTrust;
import io.cogflow.model.testing.TinyModels;
import io.cogflow.model.video.FfmpegDecoder;
import io.cogflow.model.video.Mp4Boxes;
import io.cogflow.model.video.VideoProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** export → generate on the tiny golden components, the generation in a fresh JVM as a user runs it. */
class GenerateCliTest {
    private static Path work;
    private static Path src;
    private static Path model;

    @BeforeAll
    static void export() throws IOException {
        work = Files.createTempDirectory("cogflow-generate-cli");
        src = TinyModels.assemble(work.resolve("src"), "cogvideox_5b_tiny");
        model = work.resolve("model");
        String out = CliRun.of("export", "--from", src.toString(), "--to", model.toString(), "--size", "64x64x9")
                .succeeded();
        assertThat(out).contains("denoise_64x64x9");
        // without --name the manifest records the source folder's own name, not its path
        assertThat(out).contains("source      src\n");
    }

    @Test
    void exportRefusesANameThatIsAPath() {
        CliRun run = CliRun.of("export", "--from", src.toString(), "--to", work.resolve("named").toString(),
                "--name", "/work/train/model");
        assertThat(run.exit()).isEqualTo(Cogflow.ERROR);
        assertThat(run.err().strip()).isEqualTo("cogflow: --name must be a name, not a path, got "
                + "'/work/train/model'");
        assertThat(work.resolve("named")).doesNotExist();
    }

    @Test
    void exportSignsTheManifestSoOnlyTheTrustedKeyAcceptsIt() {
        Path signer = work.resolve("signer");
        ModelKeys.generate(signer);
        ModelKeys.generate(work.resolve("stranger"));
        Path signed = work.resolve("signed");
        String out = CliRun.of("export", "--from", src.toString(), "--to", signed.toString(), "--size", "64x64x9",
                "--sign", signer + ".key").succeeded();
        assertThat(out).contains("signed      " + ModelSignature.FILE);
        ModelTrust.of(List.of(Path.of(signer + ".pub"))).check(signed);
        assertThatThrownBy(() -> ModelTrust.of(List.of(work.resolve("stranger.pub"))).check(signed))
                .hasMessageContaining("not a valid signature");
        // a key that is not a private key fails before the export starts
        CliRun bad = CliRun.of("export", "--from", src.toString(), "--to", work.resolve("unsigned").toString(),
                "--sign", signer + ".pub");
        assertThat(bad.exit()).isEqualTo(Cogflow.ERROR);
        assertThat(bad.err()).contains("not an Ed25519 private key");
        assertThat(work.resolve("unsigned")).doesNotExist();
    }

    @Test
    void aFreshJvmLoadsTheExportedModelAndWritesAPlayableMp4() throws Exception {
        Path video = work.resolve("out.mp4");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.cogflow.cli.Cogflow", "generate", "--model", model.toString(), "a red circle moving left",
                "--steps", "4", "--seed", "3", "--out", video.toString()))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("denoising [").contains("4/4 steps").contains("seed        3")
                .contains("stages      tokenize");
        // stderr is a pipe here, not a terminal: progress comes as whole lines, never redrawn with \r
        assertThat(output).doesNotContain("\r");
        assertThat(output.lines().filter(l -> l.startsWith("denoising ["))).last().asString().contains("4/4 steps");
        byte[] mp4 = Files.readAllBytes(video);
        Mp4Boxes boxes = Mp4Boxes.parse(mp4);
        assertThat(boxes.codec()).isEqualTo("avc1");
        assertThat(boxes.samples()).isEqualTo(9);
        assertThat(boxes.width()).isEqualTo(64);
        // playable: FFmpeg's own H.264 decoder (not the libopenh264 that wrote it) reads every frame
        VideoProbe probe = FfmpegDecoder.probe(mp4);
        assertThat(probe.codec()).isEqualTo("h264");
        assertThat(probe.decoder()).isEqualTo("h264");
        assertThat(probe.width()).isEqualTo(64);
        assertThat(probe.height()).isEqualTo(64);
        assertThat(probe.frames()).isEqualTo(9);
        assertThat(probe.rate()).isEqualTo("8/1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--width=72|width and height must be multiples of 16",
            "--frames=10|frames must be 4k+1",
            "--steps=0|steps must be between 1 and 1000",
            "--steps=1001|steps must be between 1 and 1000",
            "--guidance=NaN|guidance must be a finite number"})
    void badInputGetsAClearMessageAndNoStackTrace(String option, String message) {
        CliRun run = CliRun.of("generate", "--model", model.toString(), "a prompt", option, "--out",
                work.resolve("bad.mp4").toString());
        assertThat(run.exit()).isEqualTo(Cogflow.ERROR);
        assertThat(run.err().strip()).startsWith("cogflow: " + message).doesNotContain("\tat ");
    }

    @Test
    void anEmptyPromptIsRefused() {
        CliRun run = CliRun.of("generate", "--model", model.toString(), "", "--out", work.resolve("bad.mp4").toString());
        assertThat(run.exit()).isEqualTo(Cogflow.ERROR);
        assertThat(run.err()).contains("the prompt is empty");
    }

    @Test
    void theOutExtensionChoosesTheFormatAsDocumented() {
        assertThat(io.cogflow.model.video.VideoFormat.forExtension("png")).isEqualTo(io.cogflow.model.video.VideoFormat.PNG_SHEET);
        assertThat(io.cogflow.model.video.VideoFormat.forExtension("GIF")).isEqualTo(io.cogflow.model.video.VideoFormat.GIF);
        assertThat(io.cogflow.model.video.VideoFormat.forExtension("mp4")).isEqualTo(io.cogflow.model.video.VideoFormat.MP4);
    }
}
