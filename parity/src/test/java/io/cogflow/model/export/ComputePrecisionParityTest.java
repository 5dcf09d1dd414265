package io.cogflow.model.export;

import io.cogflow.model.checkpoint.SafetensorsFile;
import io.cogflow.model.checkpoint.SafetensorsWriter;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.testing.Golden;
import io.cogflow.model.testing.TinyModels;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.transformer.AttentionBudget;
import io.cogflow.parity.Comparison;
import io.cogflow.parity.GoldenTensors;
import io.cogflow.parity.PipelineParity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exports of the tiny reference components computing in float32, bfloat16 and float16 ({@code --compute}) against
 * the reference vectors: each signature (denoise, decode, encode_text) and whole pipeline runs at batch 1 and 2,
 * float32 at the float32 tolerances, reduced precisions at the measured ones ({@link Comparison#passedAt},
 * {@link PipelineParity#tolerance}).
 */
class ComputePrecisionParityTest {
    private static final List<VideoSize> SIZES = List.of(VideoSize.parse("64x64x9"), VideoSize.parse("32x32x17"));

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"cogvideox_2b_tiny, pipeline_2b_ddim, float32", "cogvideox_2b_tiny, pipeline_2b_ddim, bfloat16",
            "cogvideox_5b_tiny, pipeline_5b_dpm, float32", "cogvideox_5b_tiny, pipeline_5b_dpm, bfloat16",
            "cogvideox_2b_tiny, pipeline_2b_ddim, float16"})
    void componentsAndPipelinesMatchTheReference(String family, String run, String precision) throws IOException {
        ComputePrecision compute = ComputePrecision.parse(precision);
        Path src = TinyModels.assemble(tmp.resolve("src"), family);
        Path model = ModelExporter.export(src, tmp.resolve("out"), ExportOptions.computing(compute, SIZES,
                AttentionBudget.DEFAULT, null)).dir();
        assertThat(ModelManifest.readVerified(model).compute()).isEqualTo(compute);
        try (ExportedModel m = ExportedModel.load(model, SessionOptions.defaults());
             SafetensorsFile t = SafetensorsFile.open(Golden.path(family + "/golden.safetensors"));
             SafetensorsFile v = SafetensorsFile.open(Golden.path("vae_tiny/golden.safetensors"));
             SafetensorsFile e = SafetensorsFile.open(Golden.path("t5_tiny/golden.safetensors"))) {
            Comparison denoise = Comparison.of(m.denoise(GoldenTensors.read(t, "hidden_states"),
                    t.readLongs("timestep"), GoldenTensors.read(t, "encoder_hidden_states")),
                    GoldenTensors.read(t, "sample"));
            Comparison decode = Comparison.of(m.decode(GoldenTensors.read(v, "z"), m.manifest().size(SIZES.get(1)))
                    .video(), ExportTest.postprocess(GoldenTensors.read(v, "decoded")));
            long[] ids = e.readLongs("input_ids");
            Comparison text = Comparison.of(m.encodeText(new long[][]{Arrays.copyOfRange(ids, 0, 12),
                    Arrays.copyOfRange(ids, 12, 24)}), GoldenTensors.read(e, "last_hidden_state"));
            for (Comparison c : List.of(denoise, decode, text)) {
                assertThat(c.passedAt(compute)).as(c.summary()).isTrue();
                if (compute.reduced()) {
                    // the graph really computes in less than float32: not float32's rounding
                    assertThat(c.passed()).as("float32 tolerance is out of reach: " + c.summary()).isFalse();
                }
            }
        }
        Path golden = Golden.path(run + "/golden.safetensors");
        PipelineParity.Report one = PipelineParity.run(model, golden, SessionOptions.defaults());
        assertThat(one.batch()).isEqualTo(1);
        assertThat(one.compute()).isEqualTo(compute);
        assertThat(one.passed()).as("batch 1 rel L2 %s", one.frames().relativeL2()).isTrue();
        if (compute != ComputePrecision.FLOAT16) {
            PipelineParity.Report two = PipelineParity.run(model, twoCopies(golden, tmp.resolve("batch2")),
                    SessionOptions.defaults());
            assertThat(two.batch()).isEqualTo(2);
            assertThat(two.passed()).as("batch 2 rel L2 %s", two.frames().relativeL2()).isTrue();
        }
    }

    /**
     * A batch-2 reference run made of two copies of a batch-1 one. The reference pipeline treats each video of a
     * batch independently (classifier-free guidance concatenates [uncond×B, cond×B]; the VAE decodes per video),
     * so the stacked latents, embeddings and frames are what it returns for the stacked inputs; the DPM noise tape
     * is laid out as torch draws it for shape (2, …): each draw is one batch, sample 0 then sample 1. What this
     * proves: the exported graph, the sampling loop and the decode run a real batch of 2 (every denoise call at
     * batch 4 with guidance, decode at batch 2) and reproduce the reference for each video, and the parity check
     * splits a batched tape per sample. What it cannot prove, the two videos being equal: that videos are never
     * swapped within a batch (VideoGeneratorTest.aRequestGivesTheSameFramesAloneAndInAMixedBatch covers distinct
     * requests in one batch).
     */
    static Path twoCopies(Path golden, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.copy(golden.resolveSibling("index.json"), dir.resolve("index.json"));
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsFile g = SafetensorsFile.open(golden)) {
            for (String name : g.tensors().keySet()) {
                HostTensor t = GoldenTensors.read(g, name);
                long[] shape = t.shape().clone();
                float[] data = t.data();
                float[] out = new float[data.length * 2];
                if (name.equals("noise")) {
                    // (draws, 1, ...) → (draws, 2, ...): each draw's batch holds the sample twice
                    int draws = (int) shape[0];
                    int per = data.length / draws;
                    for (int d = 0; d < draws; d++) {
                        System.arraycopy(data, d * per, out, 2 * d * per, per);
                        System.arraycopy(data, d * per, out, (2 * d + 1) * per, per);
                    }
                    shape[1] = 2;
                } else {
                    System.arraycopy(data, 0, out, 0, data.length);
                    System.arraycopy(data, 0, out, data.length, data.length);
                    shape[0] = 2;
                }
                w.f32(name, shape, out);
            }
        }
        Path file = dir.resolve("golden.safetensors");
        w.write(file);
        return file;
    }
}
