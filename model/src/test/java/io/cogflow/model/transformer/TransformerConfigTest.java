package io.cogflow.model.transformer;

import io.cogflow.model.config.ConfigJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransformerConfigTest {

    @Test
    void missingKeysTakeDiffusersDefaultsAndUnknownKeysAreIgnored() {
        TransformerConfig c = TransformerConfig.from(ConfigJson.parse(
                "{\"num_layers\": 2, \"some_future_key\": [1, 2], \"_class_name\": \"CogVideoXTransformer3DModel\"}"));
        assertThat(c.numLayers()).isEqualTo(2);
        assertThat(c.numAttentionHeads()).isEqualTo(30);
        assertThat(c.innerDim()).isEqualTo(1920);
        assertThat(c.textEmbedDim()).isEqualTo(4096);
        assertThat(c.maxTextSeqLength()).isEqualTo(226);
        assertThat(c.normEps()).isEqualTo(1e-5);
        assertThat(c.patchSizeT()).isNull();
        assertThat(c.outChannels()).isEqualTo(16);
        assertThat(c.positionEncoding()).isEqualTo(PositionEncoding.SINCOS_3D);
    }

    @Test
    void explicitNullMeansDefault() {
        TransformerConfig c = TransformerConfig.from(ConfigJson.parse(
                "{\"patch_size_t\": null, \"in_channels\": 32, \"out_channels\": null, "
                        + "\"use_rotary_positional_embeddings\": true}"));
        assertThat(c.patchSizeT()).isNull();
        assertThat(c.outChannels()).isEqualTo(32);
        assertThat(c.positionEncoding()).isEqualTo(PositionEncoding.ROPE_LINSPACE);
    }

    @Test
    void wrongTypesAndUnsupportedValuesNameTheKey() {
        assertThatThrownBy(() -> TransformerConfig.from(ConfigJson.parse("{\"num_layers\": \"thirty\"}")))
                .hasMessageContaining("'num_layers' must be an integer");
        assertThatThrownBy(() -> TransformerConfig.from(ConfigJson.parse("{\"num_layers\": 2.5}")))
                .hasMessageContaining("'num_layers' must be an integer");
        assertThatThrownBy(() -> TransformerConfig.from(ConfigJson.parse("{\"activation_fn\": \"relu\"}")))
                .hasMessageContaining("activation_fn 'relu' is not supported");
        assertThatThrownBy(() -> TransformerConfig.from(ConfigJson.parse(
                "{\"use_rotary_positional_embeddings\": true, \"attention_head_dim\": 24, \"num_attention_heads\": 2}")))
                .hasMessageContaining("divisible by 16");
    }

    @Test
    void imageToVideoExtrasAreRefusedWhenBuilding() {
        TransformerConfig i2v = TransformerConfig.from(ConfigJson.parse(
                "{\"ofs_embed_dim\": 512, \"patch_size_t\": 2, \"use_rotary_positional_embeddings\": true}"));
        assertThatThrownBy(i2v::requireTextToVideo).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("ofs_embed_dim=512");
        // but it can still be counted: ofs MLP 2 × (512·512 + 512)
        TransformerConfig t2v = TransformerConfig.from(ConfigJson.parse(
                "{\"patch_size_t\": 2, \"use_rotary_positional_embeddings\": true}"));
        assertThat(TransformerParameters.count(i2v) - TransformerParameters.count(t2v)).isEqualTo(2L * (512 * 512 + 512));
    }
}
