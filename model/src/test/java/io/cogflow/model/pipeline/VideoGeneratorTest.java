package io.cogflow.model.pipeline;

import io.cogflow.model.export.ExportOptions;
import io.cogflow.model.export.ModelExporter;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.sampling.SamplerKind;
import io.cogflow.model.sampling.SeededNoise;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.testing.TinyModels;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.transformer.AttentionBudget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generator on the tiny golden components, exported: batching, determinism and bad requests. */
class VideoGeneratorTest {
    private static final VideoSize SIZE = VideoSize.parse("64x64x9");
    private static Path dir;
    private static VideoGenerator generator;

    @BeforeAll
    static void export() throws IOException {
        dir = Files.createTempDirectory("cogflow-generator-test");
        Path src = TinyModels.assemble(dir.resolve("src"), "cogvideox_5b_tiny");
        Path out = ModelExporter.export(src, dir.resolve("out"), new ExportOptions("float32",
                List.of(SIZE, VideoSize.parse("32x32x17")), AttentionBudget.DEFAULT)).dir();
        generator = VideoGenerator.load(out, SessionOptions.defaults());
    }

    @AfterAll
    static void close() {
        generator.close();
    }

    private static GenerationInput request(String prompt, int steps, double guidance, long seed, SamplerKind s) {
        return new GenerationInput(prompt, prompt, "", SIZE, steps, guidance, false, seed, s);
    }

    @Test
    void aRequestGivesTheSameFramesAloneAndInAMixedBatch() {
        GenerationInput target = request("a red circle moving left", 4, 6.0, 7, SamplerKind.DPM);
        byte[] alone = generator.generate(List.of(target), ProgressListener.NONE).get(0).frames().rgb();
        List<GenerationInput> batch = List.of(
                request("a blue square growing", 3, 1.0, 1, SamplerKind.DDIM),
                target,
                request("a green triangle moving up", 6, 4.5, 2, SamplerKind.DPM),
                new GenerationInput("dyn", "a star", "blurry", SIZE, 5, 6.0, true, 3, SamplerKind.DDIM));
        List<Integer> stepsSeen = new ArrayList<>();
        List<GeneratedVideo> out = generator.generate(batch, (step, steps) -> stepsSeen.add(step));
        assertThat(stepsSeen).containsExactly(1, 2, 3, 4, 5, 6);
        byte[] inBatch = out.get(1).frames().rgb();
        assertThat(FrameBytes.maxDiff(alone, inBatch)).isLessThanOrEqualTo(1);
        assertThat(out).extracting(GeneratedVideo::batchSize).containsOnly(4);
        assertThat(out.get(0).frames().rgb()).isNotEqualTo(inBatch);
    }

    @Test
    void theSeedDecidesTheVideo() {
        byte[] a = generator.generate(List.of(request("a cat", 2, 6, 11, null)), ProgressListener.NONE).get(0)
                .frames().rgb();
        byte[] b = generator.generate(List.of(request("a cat", 2, 6, 11, null)), ProgressListener.NONE).get(0)
                .frames().rgb();
        byte[] c = generator.generate(List.of(request("a cat", 2, 6, 12, null)), ProgressListener.NONE).get(0)
                .frames().rgb();
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void framesAndTimingsAreReported() {
        GeneratedVideo v = generator.generate(List.of(request("a dog", 2, 6, 5, null)), ProgressListener.NONE).get(0);
        assertThat(v.frames().frames()).isEqualTo(9);
        assertThat(v.frames().height()).isEqualTo(64);
        assertThat(v.video().shape()).containsExactly(9, 3, 64, 64);
        assertThat(v.timings().steps()).isEqualTo(2);
        assertThat(v.timings().totalMs()).isGreaterThan(v.timings().denoiseMs()).isPositive();
    }

    @Test
    void badRequestsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> request(" ", 4, 6, 1, null)).hasMessageContaining("prompt is empty");
        assertThatThrownBy(() -> request("x", 0, 6, 1, null)).hasMessageContaining("steps must be between 1 and 1000");
        assertThatThrownBy(() -> request("x", 1001, 6, 1, null)).hasMessageContaining("steps");
        assertThatThrownBy(() -> request("x", 4, Double.NaN, 1, null)).hasMessageContaining("guidance");
        GenerationInput other = new GenerationInput("x", "x", "", VideoSize.parse("48x48x9"), 2, 6, false, 1,
                null);
        assertThatThrownBy(() -> generator.generate(List.of(other), ProgressListener.NONE))
                .hasMessageContaining("exported for").hasMessageContaining("64x64x9");
        assertThatThrownBy(() -> generator.generate(List.of(request("a", 2, 6, 1, null),
                new GenerationInput("b", "b", "", VideoSize.parse("32x32x17"), 2, 6, false, 1, null)),
                ProgressListener.NONE)).hasMessageContaining("one video size");
    }

    /** Random stand-ins for VAE-encoded input videos: (1, C, F, h, w) of the test size. */
    private static HostTensor inputLatents(long seed) {
        ModelManifest.Size size = generator.manifest().size(SIZE);
        long[] shape = {1, generator.manifest().latentChannels(), size.latentFrames(), size.latentHeight(),
                size.latentWidth()};
        float[] data = new float[Math.toIntExact(shape[1] * shape[2] * shape[3] * shape[4])];
        new SeededNoise(seed).fill(data);
        return new HostTensor(shape, data);
    }

    @Test
    void videoToVideoAtFullStrengthIsTextToVideo() {
        // the zero-SNR schedule has ᾱ = 0 at t = 999: the input is noised away entirely, and the seed's first draw
        // becomes the initial latents exactly as in text-to-video
        for (SamplerKind kind : SamplerKind.values()) {
            GenerationInput r = request("a red circle moving left", 3, 6.0, 21, kind);
            byte[] text = generator.generate(List.of(r), ProgressListener.NONE).get(0).frames().rgb();
            byte[] fromA = generator.generateFromVideos(List.of(r), List.of(inputLatents(1)), 1.0,
                    ProgressListener.NONE).get(0).frames().rgb();
            byte[] fromB = generator.generateFromVideos(List.of(r), List.of(inputLatents(2)), 1.0,
                    ProgressListener.NONE).get(0).frames().rgb();
            assertThat(fromA).as(kind.name()).isEqualTo(text).isEqualTo(fromB);
        }
    }

    @Test
    void videoToVideoBelowFullStrengthKeepsTheInputAndWalksOnlyTheLastSteps() {
        GenerationInput r = request("a red circle moving left", 4, 6.0, 21, SamplerKind.DPM);
        List<RunningSample> prepared = generator.prepareFromVideos(List.of(r, r),
                List.of(inputLatents(1), inputLatents(2)), 0.5);
        assertThat(prepared).extracting(RunningSample::remainingSteps).containsOnly(2);
        List<Integer> stepsSeen = new ArrayList<>();
        List<GeneratedVideo> out = generator.generateFromVideos(List.of(r, r),
                List.of(inputLatents(1), inputLatents(2)), 0.5, (step, steps) -> stepsSeen.add(step));
        assertThat(stepsSeen).containsExactly(1, 2);
        // same prompt and seed, different inputs: the input shows through
        assertThat(FrameBytes.maxDiff(out.get(0).frames().rgb(), out.get(1).frames().rgb())).isGreaterThan(16);
        // alone it is the same video (within the batch-size rounding of the first test)
        byte[] again = generator.generateFromVideos(List.of(r), List.of(inputLatents(1)), 0.5,
                ProgressListener.NONE).get(0).frames().rgb();
        assertThat(FrameBytes.maxDiff(again, out.get(0).frames().rgb())).isLessThanOrEqualTo(1);
    }

    @Test
    void badVideoToVideoInputsAreRefusedWithTheReason() {
        GenerationInput r = request("a dog", 4, 6, 5, null);
        assertThatThrownBy(() -> generator.prepareFromVideos(List.of(r), List.of(), 0.5))
                .hasMessageContaining("1 requests but 0 input videos");
        assertThatThrownBy(() -> generator.prepareFromVideos(List.of(r), List.of(inputLatents(1)), 0.1))
                .hasMessageContaining("walks no step of a 4-step grid");
        assertThatThrownBy(() -> generator.prepareFromVideos(List.of(r), List.of(inputLatents(1)), 1.5))
                .hasMessageContaining("strength must be in (0, 1]");
        HostTensor flat = new HostTensor(new long[] {1, inputLatents(1).data().length}, inputLatents(1).data());
        assertThatThrownBy(() -> generator.prepareFromVideos(List.of(r), List.of(flat), 0.5))
                .hasMessageContaining("must be encoded to latents");
    }
}
