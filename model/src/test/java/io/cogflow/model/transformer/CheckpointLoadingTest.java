package io.cogflow.model.transformer;

import io.cogflow.model.testing.RandomTensors;
import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.checkpoint.CheckpointException;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.testing.Golden;
import io.cogflow.model.checkpoint.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointLoadingTest {
    @TempDir
    Path dir;

    private Path withConfig(String from, String to) throws IOException {
        Path golden = Golden.path("cogvideox_5b_tiny");
        Files.writeString(dir.resolve("config.json"), Files.readString(golden.resolve("config.json")).replace(from, to));
        Files.copy(golden.resolve("diffusion_pytorch_model.safetensors"), dir.resolve("diffusion_pytorch_model.safetensors"));
        return dir;
    }

    @Test
    void aMisShapedTensorIsNamedWithBothShapes() throws IOException {
        Path model = withConfig("\"text_embed_dim\": 32", "\"text_embed_dim\": 16");
        assertThatThrownBy(() -> TransformerDenoiser.load(model, DenoiserOptions.defaults()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("tensor 'patch_embed.text_proj.weight' has shape [32, 32], expected [32, 16]");
    }

    @Test
    void aMissingTensorIsNamed() throws IOException {
        Path model = withConfig("\"num_layers\": 2", "\"num_layers\": 3");
        assertThatThrownBy(() -> TransformerDenoiser.load(model, DenoiserOptions.defaults()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("missing tensor 'transformer_blocks.2.attn1.to_q.weight' (expected shape [32, 32])");
    }

    @Test
    void leftoverTensorsMeanTheConfigIsWrong() throws IOException {
        Path model = withConfig("\"num_layers\": 2", "\"num_layers\": 1");
        assertThatThrownBy(() -> TransformerDenoiser.load(model, DenoiserOptions.defaults()))
                .hasMessageContaining("the config does not account for").hasMessageContaining("transformer_blocks.1.");
    }

    @Test
    void aShardedCopyLoadsToTheSameModel() throws IOException {
        Path golden = Golden.path("cogvideox_5b_tiny");
        Files.copy(golden.resolve("config.json"), dir.resolve("config.json"));
        StringBuilder map = new StringBuilder();
        try (Checkpoint src = Checkpoint.open(golden)) {
            List<String> names = new ArrayList<>(src.names());
            SafetensorsWriter[] shards = {new SafetensorsWriter(), new SafetensorsWriter()};
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                int shard = i % 2;
                shards[shard].f32(n, src.info(n).shape(), src.readFloats(n));
                map.append(map.isEmpty() ? "" : ",").append('"').append(n).append("\": \"part-")
                        .append(shard).append(".safetensors\"");
            }
            shards[0].write(dir.resolve("part-0.safetensors"));
            shards[1].write(dir.resolve("part-1.safetensors"));
        }
        Files.writeString(dir.resolve("diffusion_pytorch_model.safetensors.index.json"),
                "{\"metadata\": {}, \"weight_map\": {" + map + "}}");
        Random r = new Random(1);
        HostTensor latents = RandomTensors.gaussian(r, 1, 2, 4, 4, 6);
        HostTensor text = RandomTensors.gaussian(r, 1, 12, 32);
        try (TransformerDenoiser single = TransformerDenoiser.load(golden, DenoiserOptions.defaults());
             TransformerDenoiser sharded = TransformerDenoiser.load(dir, DenoiserOptions.defaults())) {
            assertThat(sharded.denoise(latents, new long[]{500}, text).data())
                    .containsExactly(single.denoise(latents, new long[]{500}, text).data());
        }
    }
}
