package io.cogflow.model.export;

import io.cogflow.model.checkpoint.SafetensorsFile;
import io.cogflow.parity.Comparison;
import io.cogflow.parity.GoldenTensors;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.testing.Golden;
import io.cogflow.model.testing.TinyModels;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.transformer.AttentionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportTest {
    @TempDir
    Path tmp;

    @Test
    void theExportedSignaturesReproduceTheReferenceComponents() throws IOException {
        Path src = TinyModels.assemble(tmp.resolve("src"), "cogvideox_2b_tiny");
        ModelExporter.Result r = ModelExporter.export(src, tmp.resolve("out"), new ExportOptions("float32",
                List.of(VideoSize.parse("64x64x9"), VideoSize.parse("32x32x17")), AttentionBudget.DEFAULT));
        assertThat(r.manifest().files()).containsKeys("saved_model.pb", "assets/spiece.model");
        // the source folder's own name, not where it lies on this machine
        assertThat(r.manifest().source()).isEqualTo("src");
        assertThat(ModelManifest.readVerified(r.dir()).source()).isEqualTo("src");
        assertThat(Files.readString(r.dir().resolve(ModelManifest.FILE))).doesNotContain(tmp.toString());
        try (ExportedModel m = ExportedModel.load(r.dir(), SessionOptions.defaults());
             SafetensorsFile t = SafetensorsFile.open(Golden.path("cogvideox_2b_tiny/golden.safetensors"));
             SafetensorsFile v = SafetensorsFile.open(Golden.path("vae_tiny/golden.safetensors"));
             SafetensorsFile e = SafetensorsFile.open(Golden.path("t5_tiny/golden.safetensors"))) {
            HostTensor out = m.denoise(GoldenTensors.read(t, "hidden_states"), t.readLongs("timestep"),
                    GoldenTensors.read(t, "encoder_hidden_states"));
            Comparison denoise = Comparison.of(out, GoldenTensors.read(t, "sample"));
            assertThat(denoise.passed()).as(denoise.summary()).isTrue();

            ExportedModel.DecodedVideo d = m.decode(GoldenTensors.read(v, "z"),
                    m.manifest().size(VideoSize.parse("32x32x17")));
            HostTensor expected = postprocess(GoldenTensors.read(v, "decoded"));
            Comparison decode = Comparison.of(d.video(), expected);
            assertThat(decode.passed()).as(decode.summary()).isTrue();
            assertThat(d.frameShape()).containsExactly(1, 17, 32, 32, 3);

            long[] ids = e.readLongs("input_ids");
            long[][] rows = {java.util.Arrays.copyOfRange(ids, 0, 12), java.util.Arrays.copyOfRange(ids, 12, 24)};
            Comparison text = Comparison.of(m.encodeText(rows), GoldenTensors.read(e, "last_hidden_state"));
            assertThat(text.passed()).as(text.summary()).isTrue();
        }
    }

    /** (B, C, F, H, W) in [−1, 1] → (B, F, C, H, W) clamp(x/2 + 0.5, 0, 1), as the pipeline returns frames. */
    static HostTensor postprocess(HostTensor x) {
        long[] s = x.shape();
        int b = (int) s[0], c = (int) s[1], f = (int) s[2], hw = (int) (s[3] * s[4]);
        float[] out = new float[x.data().length];
        for (int i = 0; i < b; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int t = 0; t < f; t++) {
                    for (int p = 0; p < hw; p++) {
                        float val = x.data()[((i * c + ch) * f + t) * hw + p] * 0.5f + 0.5f;
                        out[((i * f + t) * c + ch) * hw + p] = Math.max(0f, Math.min(1f, val));
                    }
                }
            }
        }
        return new HostTensor(new long[]{s[0], s[2], s[1], s[3], s[4]}, out);
    }

    @Test
    void aTamperedModelIsRefused() throws IOException {
        Path src = TinyModels.assemble(tmp.resolve("src"), "cogvideox_5b_tiny");
        Path out = ModelExporter.export(src, tmp.resolve("out"), ExportOptions.defaults()).dir();
        Path data = Files.list(out.resolve("variables")).filter(p -> p.toString().contains(".data")).findFirst()
                .orElseThrow();
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 1;
        Files.write(data, bytes);
        assertThatThrownBy(() -> ExportedModel.load(out, SessionOptions.defaults()))
                .hasMessageContaining("refusing exported model").hasMessageContaining("was modified");
    }

    @Test
    void bfloat16StorageHalvesTheWeightsAndStaysClose() throws IOException {
        Path src = TinyModels.assemble(tmp.resolve("src"), "cogvideox_5b_tiny");
        List<VideoSize> size = List.of(VideoSize.parse("64x64x9"));
        Path f32 = ModelExporter.export(src, tmp.resolve("f32"), new ExportOptions("float32", size,
                AttentionBudget.DEFAULT)).dir();
        Path bf16 = ModelExporter.export(src, tmp.resolve("bf16"), new ExportOptions("bfloat16", size,
                AttentionBudget.DEFAULT, "tiny-5b")).dir();
        assertThat(ModelManifest.readVerified(bf16).source()).isEqualTo("tiny-5b");
        assertThat(variableBytes(bf16)).isLessThan(variableBytes(f32) * 6 / 10);
        io.cogflow.parity.PipelineParity.Report r = io.cogflow.parity.PipelineParity.run(bf16,
                Golden.path("pipeline_5b_dpm/golden.safetensors"), SessionOptions.defaults());
        // bfloat16 keeps 8 bits of mantissa: not the float32 tolerance, but the same video
        assertThat(r.frames().relativeL2()).isGreaterThan(1e-5).isLessThan(2e-2);
        assertThatThrownBy(() -> new ExportOptions("float16", size, AttentionBudget.DEFAULT))
                .hasMessageContaining("only for --compute float16");
    }

    @Test
    void theSourceIsANameNeverAPath() {
        List<VideoSize> none = List.of();
        ExportOptions byFolder = ExportOptions.defaults();
        assertThat(byFolder.sourceNameFor(Path.of("models", "CogVideoX-2b"))).isEqualTo("CogVideoX-2b");
        assertThat(byFolder.sourceNameFor(Path.of("models", "CogVideoX-2b", "."))).isEqualTo("CogVideoX-2b");
        assertThat(new ExportOptions("float32", none, AttentionBudget.DEFAULT, "cogflow-demo")
                .sourceNameFor(Path.of("work", "model"))).isEqualTo("cogflow-demo");
        for (String bad : List.of("", "  ", "work/model", "/work/model", "C:\\models\\x", "..", ".")) {
            assertThatThrownBy(() -> new ExportOptions("float32", none, AttentionBudget.DEFAULT, bad))
                    .as("'%s'", bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--name");
        }
        Path root = Path.of("/").getRoot();
        assertThatThrownBy(() -> byFolder.sourceNameFor(root))
                .hasMessageContaining("no folder name");
    }

    private static long variableBytes(Path model) throws IOException {
        try (var files = Files.list(model.resolve("variables"))) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
