package io.cogflow.bench.fullsize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.checkpoint.DType;
import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.export.ExportOptions;
import io.cogflow.model.export.ExportedModel;
import io.cogflow.model.export.ModelExporter;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.t5.T5Config;
import io.cogflow.model.t5.T5Parameters;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.testing.Golden;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.transformer.AttentionBudget;
import io.cogflow.model.transformer.TransformerConfig;
import io.cogflow.model.transformer.TransformerParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The full-size benchmark's writer on the tiny configs: the folder has the hubs' sharded layout, reads back with
 * every tensor the configs imply, and exports, loads and runs like a downloaded model.
 */
class SeededModelFolderTest {
    @TempDir
    Path dir;

    /**
     * The tiny components; the tiny T5's vocabulary is widened to 160 so that every id of the tiny tokenizer's
     * 136 pieces has an embedding, which the writer insists on.
     */
    private SeededModelFolder tiny(long maxShardBytes) throws IOException {
        ObjectNode t5 = (ObjectNode) new ObjectMapper().readTree(Golden.path("t5_tiny/config.json").toFile());
        t5.put("vocab_size", 160);
        Path t5Config = dir.resolve("t5_config.json");
        new ObjectMapper().writeValue(t5Config.toFile(), t5);
        return new SeededModelFolder(Golden.path("cogvideox_2b_tiny/config.json"), Golden.path("vae_tiny/config.json"),
                t5Config, Golden.path("spm_tiny/spiece.model"), DType.BF16, maxShardBytes, 5);
    }

    @Test
    void shardedFolderReadsBackExportsAndRuns() throws IOException {
        Path model = dir.resolve("model");
        SeededModelFolder.Written w = tiny(20_000).write(model);

        assertThat(model.resolve("model_index.json")).isRegularFile();
        assertThat(model.resolve("scheduler/scheduler_config.json")).isRegularFile();
        assertThat(model.resolve("tokenizer/spiece.model")).isRegularFile();
        assertThat(model.resolve("transformer/diffusion_pytorch_model.safetensors.index.json")).isRegularFile();
        assertThat(model.resolve("text_encoder/model.safetensors.index.json")).isRegularFile();
        try (Stream<Path> s = Files.list(model.resolve("transformer"))) {
            assertThat(s.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("diffusion_pytorch_model-\\d{5}-of-\\d{5}\\.safetensors")).count())
                    .isGreaterThan(1);
        }
        TransformerConfig tc = TransformerConfig.load(model.resolve("transformer"));
        T5Config ec = T5Config.load(model.resolve("text_encoder"));
        try (Checkpoint t = Checkpoint.open(model.resolve("transformer"));
             Checkpoint e = Checkpoint.open(model.resolve("text_encoder"))) {
            assertThat(t.names()).containsExactlyInAnyOrderElementsOf(
                    TransformerParameters.specs(tc).stream().map(ParameterSpec::name).toList());
            assertThat(e.names()).containsExactlyInAnyOrderElementsOf(
                    T5Parameters.specs(ec).stream().map(ParameterSpec::name).toList());
            assertThat(t.info(TransformerParameters.specs(tc).get(0).name()).dtype()).isEqualTo(DType.BF16);
        }
        assertThat(w.transformerParameters()).isEqualTo(TransformerParameters.count(tc));
        assertThat(w.textEncoderParameters()).isEqualTo(T5Parameters.count(ec));

        Path export = dir.resolve("export");
        ModelExporter.export(model, export, new ExportOptions("bfloat16", List.of(new VideoSize(32, 32, 9)),
                AttentionBudget.DEFAULT, "seeded"));
        try (ExportedModel m = ExportedModel.load(export, new SessionOptions(1, 1))) {
            HostTensor text = m.encodeText(m.tokenizer().encodeBatch(List.of("a fox"), m.manifest().textLength()));
            var size = m.manifest().sizes().get(0);
            HostTensor latents = HostTensor.zeros(1, size.paddedFrames(), m.manifest().latentChannels(),
                    size.latentHeight(), size.latentWidth());
            HostTensor v = m.denoise(latents, new long[]{999}, text);
            assertThat(v.shape()).containsExactly(latents.shape());
            for (float x : v.data()) {
                assertThat(Float.isFinite(x)).isTrue();
            }
            // seeded weights are not zero: the prediction is not either
            assertThat(v.data()).isNotEqualTo(new float[v.data().length]);
        }
    }

    @Test
    void theSameSeedWritesTheSameBytes() throws IOException {
        tiny(1 << 30).write(dir.resolve("a"));
        tiny(1 << 30).write(dir.resolve("b"));
        for (String f : List.of("transformer/diffusion_pytorch_model.safetensors", "vae/diffusion_pytorch_model"
                + ".safetensors", "text_encoder/model.safetensors")) {
            assertThat(Files.readAllBytes(dir.resolve("a").resolve(f))).as(f)
                    .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(f)));
        }
    }
}
