package io.cogflow.model.t5;

import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.checkpoint.CheckpointException;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.testing.Golden;
import io.cogflow.model.checkpoint.SafetensorsWriter;
import io.cogflow.model.tf.SessionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class T5CheckpointLoadingTest {
    private static final long[][] IDS = {{5, 17, 99, 1, 0, 0, 0}, {3, 3, 127, 64, 8, 2, 1}};

    @TempDir
    Path dir;

    private static HostTensor reference() {
        try (T5TextEncoder e = T5TextEncoder.load(Golden.path("t5_tiny"), SessionOptions.defaults())) {
            return e.encode(IDS);
        }
    }

    private Path withConfig(String from, String to) throws IOException {
        Path golden = Golden.path("t5_tiny");
        String config = Files.readString(golden.resolve("config.json"));
        assertThat(config).contains(from);
        Files.writeString(dir.resolve("config.json"), config.replace(from, to));
        Files.copy(golden.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        return dir;
    }

    /** Rewrites the golden checkpoint into {@code target}, renaming tensors (null drops one). */
    private static void rewrite(Path target, UnaryOperator<String> rename, boolean alsoAlias) throws IOException {
        Files.createDirectories(target);
        Files.copy(Golden.path("t5_tiny/config.json"), target.resolve("config.json"));
        SafetensorsWriter w = new SafetensorsWriter();
        try (Checkpoint src = Checkpoint.open(Golden.path("t5_tiny"))) {
            for (String n : src.names()) {
                String to = rename.apply(n);
                if (to != null) {
                    w.f32(to, src.info(n).shape(), src.readFloats(n));
                }
            }
            if (alsoAlias) {
                w.f32(T5Parameters.EMBEDDING_ALIAS, src.info(T5Parameters.EMBEDDING).shape(),
                        src.readFloats(T5Parameters.EMBEDDING));
            }
        }
        w.write(target.resolve("model.safetensors"));
    }

    @Test
    void aMisShapedTensorIsNamedWithBothShapes() throws IOException {
        Path model = withConfig("\"d_ff\": 64", "\"d_ff\": 48");
        assertThatThrownBy(() -> T5TextEncoder.load(model, SessionOptions.defaults()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("tensor 'encoder.block.0.layer.1.DenseReluDense.wi_0.weight' has shape [64, 32], "
                        + "expected [48, 32]");
    }

    @Test
    void aMisShapedBiasTableIsNamed() throws IOException {
        Path model = withConfig("\"relative_attention_num_buckets\": 8", "\"relative_attention_num_buckets\": 32");
        assertThatThrownBy(() -> T5TextEncoder.load(model, SessionOptions.defaults()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("tensor '" + T5Parameters.RELATIVE_BIAS + "' has shape [8, 4], expected [32, 4]");
    }

    @Test
    void aMissingTensorIsNamed() throws IOException {
        Path model = withConfig("\"num_layers\": 2", "\"num_layers\": 3");
        assertThatThrownBy(() -> T5TextEncoder.load(model, SessionOptions.defaults()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("missing tensor 'encoder.block.2.layer.0.SelfAttention.q.weight' "
                        + "(expected shape [32, 32])");
    }

    @Test
    void aMissingEmbeddingNamesBothAcceptedNames() throws IOException {
        rewrite(dir, n -> n.equals(T5Parameters.EMBEDDING) ? null : n, false);
        assertThatThrownBy(() -> T5TextEncoder.load(dir, SessionOptions.defaults()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("missing tensor 'shared.weight' (or 'encoder.embed_tokens.weight') "
                        + "(expected shape [128, 32])");
    }

    @Test
    void leftoverTensorsMeanTheConfigIsWrong() throws IOException {
        Path model = withConfig("\"num_layers\": 2", "\"num_layers\": 1");
        assertThatThrownBy(() -> T5TextEncoder.load(model, SessionOptions.defaults()))
                .hasMessageContaining("the config does not account for").hasMessageContaining("encoder.block.1.");
    }

    @Test
    void theTiedEmbeddingAliasIsAcceptedAloneOrNextToSharedWeight() throws IOException {
        HostTensor expected = reference();
        Path aliasOnly = dir.resolve("alias-only");
        rewrite(aliasOnly, n -> n.equals(T5Parameters.EMBEDDING) ? T5Parameters.EMBEDDING_ALIAS : n, false);
        Path both = dir.resolve("both");
        rewrite(both, n -> n, true);
        for (Path model : List.of(aliasOnly, both)) {
            try (T5TextEncoder e = T5TextEncoder.load(model, SessionOptions.defaults())) {
                assertThat(e.encode(IDS).data()).as(model.toString()).containsExactly(expected.data());
            }
        }
    }

    @Test
    void aMisShapedAliasIsRefused() throws IOException {
        rewrite(dir, n -> n, false);
        SafetensorsWriter w = new SafetensorsWriter();
        try (Checkpoint src = Checkpoint.open(dir)) {
            for (String n : src.names()) {
                w.f32(n, src.info(n).shape(), src.readFloats(n));
            }
        }
        w.f32(T5Parameters.EMBEDDING_ALIAS, new long[]{2, 32}, new float[64]);
        w.write(dir.resolve("model.safetensors"));
        assertThatThrownBy(() -> T5TextEncoder.load(dir, SessionOptions.defaults()))
                .hasMessageContaining("tensor 'encoder.embed_tokens.weight' has shape [2, 32], expected [128, 32]");
    }

    @Test
    void aShardedCopyInACogVideoXLayoutLoadsToTheSameModel() throws IOException {
        Path textEncoder = dir.resolve("text_encoder");
        Files.createDirectories(textEncoder);
        Files.copy(Golden.path("t5_tiny/config.json"), textEncoder.resolve("config.json"));
        StringBuilder map = new StringBuilder();
        try (Checkpoint src = Checkpoint.open(Golden.path("t5_tiny"))) {
            List<String> names = new ArrayList<>(src.names());
            SafetensorsWriter[] shards = {new SafetensorsWriter(), new SafetensorsWriter(), new SafetensorsWriter()};
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                int shard = i % 3;
                shards[shard].f32(n, src.info(n).shape(), src.readFloats(n));
                map.append(map.isEmpty() ? "" : ",").append('"').append(n).append("\": \"model-0000")
                        .append(shard + 1).append("-of-00003.safetensors\"");
            }
            for (int s = 0; s < 3; s++) {
                shards[s].write(textEncoder.resolve("model-0000" + (s + 1) + "-of-00003.safetensors"));
            }
        }
        Files.writeString(textEncoder.resolve("model.safetensors.index.json"),
                "{\"metadata\": {\"total_size\": 0}, \"weight_map\": {" + map + "}}");
        HostTensor expected = reference();
        for (Path location : List.of(dir, textEncoder)) {
            try (T5TextEncoder e = T5TextEncoder.load(location, SessionOptions.defaults())) {
                assertThat(e.encode(IDS).data()).as(location.toString()).containsExactly(expected.data());
            }
        }
    }

    @Test
    void aFolderWithoutConfigIsRefusedClearly() {
        assertThatThrownBy(() -> T5TextEncoder.load(dir, SessionOptions.defaults()))
                .hasMessageContaining("no config.json");
    }
}
