package io.cogflow.model.vae;

import io.cogflow.model.testing.ReferenceConfigs;
import io.cogflow.model.checkpoint.CheckpointException;
import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VaeConfigTest {
    @TempDir
    Path dir;

    @Test
    void theCogVideoXVaeHasTheReferenceParameterCounts() throws IOException {
        VaeConfig c = VaeConfig.load(ReferenceConfigs.path("cogvideox-vae"));
        long decoder = VaeParameters.count(VaeParameters.decoderSpecs(c));
        long encoder = VaeParameters.count(VaeParameters.encoderSpecs(c));
        // docs/cogvideox.md §3: decoder 123.4 M, encoder 92.2 M
        assertThat(decoder).isEqualTo(123_368_451L);
        assertThat(encoder).isEqualTo(92_215_456L);
        assertThat(c.spatialScale()).isEqualTo(8);
        assertThat(c.temporalCompressLevel()).isEqualTo(2);
        assertThat(FrameChunks.decodedFrames(13, c.temporalCompressLevel())).isEqualTo(49);
        assertThat(FrameChunks.decodedFrames(21, c.temporalCompressLevel())).isEqualTo(81);
    }

    @Test
    void missingKeysTakeTheDiffusersDefaults() {
        VaeConfig c = VaeConfig.from(ConfigJson.parse("{\"latents_mean\": null}"));
        assertThat(c.blockOutChannels()).containsExactly(128, 256, 256, 512);
        assertThat(c.latentChannels()).isEqualTo(16);
        assertThat(c.scalingFactor()).isEqualTo(1.15258426);
    }

    @Test
    void onlyBlocksWithSamplersCompressTime() {
        // diffusers marks log2(8) = 3 blocks as compressing time, but of 3 blocks only 2 have samplers
        VaeConfig c = VaeConfig.from(ConfigJson.parse("{\"block_out_channels\": [8, 16, 16], "
                + "\"norm_num_groups\": 4, \"temporal_compression_ratio\": 8}"));
        assertThat(c.temporalCompressLevel()).isEqualTo(2);
        assertThat(FrameChunks.decodedFrames(3, c.temporalCompressLevel())).isEqualTo(9);
    }

    @Test
    void wrongTypesAndUnsupportedVariantsNameTheKey() {
        assertThatThrownBy(() -> VaeConfig.from(ConfigJson.parse("{\"block_out_channels\": 128}")))
                .hasMessageContaining("'block_out_channels' must be a list of integers");
        assertThatThrownBy(() -> VaeConfig.from(ConfigJson.parse("{\"layers_per_block\": \"3\"}")))
                .hasMessageContaining("'layers_per_block' must be an integer");
        assertThatThrownBy(() -> VaeConfig.from(ConfigJson.parse("{\"block_out_channels\": [8, 12], "
                + "\"norm_num_groups\": 8, \"temporal_compression_ratio\": 2}")))
                .hasMessageContaining("multiple of norm_num_groups=8");
        assertThatThrownBy(() -> VaeConfig.from(ConfigJson.parse("{\"use_quant_conv\": true}")))
                .hasMessageContaining("use_quant_conv");
        assertThatThrownBy(() -> VaeConfig.from(ConfigJson.parse("{\"up_block_types\": [\"UpDecoderBlock2D\"]}")))
                .hasMessageContaining("up_block_types");
        assertThatThrownBy(() -> VaeConfig.from(ConfigJson.parse("{\"act_fn\": \"relu\"}")))
                .hasMessageContaining("act_fn 'relu'");
    }

    private Path withConfig(String from, String to) throws IOException {
        Path golden = Golden.path("vae_tiny");
        String config = Files.readString(golden.resolve("config.json"));
        assertThat(config).contains(from);
        Files.writeString(dir.resolve("config.json"), config.replace(from, to));
        Files.copy(golden.resolve("diffusion_pytorch_model.safetensors"),
                dir.resolve("diffusion_pytorch_model.safetensors"));
        return dir;
    }

    @Test
    void aMisShapedTensorIsNamedWithBothShapes() throws IOException {
        Path model = withConfig("\"latent_channels\": 4", "\"latent_channels\": 8");
        assertThatThrownBy(() -> CogVideoXVae.load(model, VaeOptions.defaults()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("tensor 'decoder.conv_in.conv.weight' has shape [16, 4, 3, 3, 3], "
                        + "expected [16, 8, 3, 3, 3]");
    }

    @Test
    void aMissingTensorIsNamed() throws IOException {
        Path model = withConfig("\"layers_per_block\": 1", "\"layers_per_block\": 2");
        assertThatThrownBy(() -> CogVideoXVae.load(model, VaeOptions.defaults()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("missing tensor 'encoder.down_blocks.0.resnets.1.norm1.weight' (expected shape [8])");
    }

    @Test
    void aModelRootWithAVaeFolderLoads() throws IOException {
        Path vae = Files.createDirectories(dir.resolve("root").resolve("vae"));
        for (String f : new String[]{"config.json", "diffusion_pytorch_model.safetensors"}) {
            Files.copy(Golden.path("vae_tiny").resolve(f), vae.resolve(f));
        }
        try (CogVideoXVae loaded = CogVideoXVae.load(dir.resolve("root"), VaeOptions.defaults())) {
            assertThat(loaded.config().latentChannels()).isEqualTo(4);
        }
    }
}
