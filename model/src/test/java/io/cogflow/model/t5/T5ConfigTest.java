package io.cogflow.model.t5;

import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.testing.Golden;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class T5ConfigTest {

    @Test
    void readsTheGoldenConfig() {
        T5Config c = T5Config.load(Golden.path("t5_tiny"));
        assertThat(c).isEqualTo(new T5Config(128, 32, 8, 64, 2, 4, 8, 20, 1e-6, "gated-gelu", "gelu_new", true));
        assertThat(c.innerDim()).isEqualTo(32);
    }

    @Test
    void missingKeysTakeTransformersDefaults() {
        T5Config c = T5Config.from(ConfigJson.parse("{}"));
        assertThat(c).isEqualTo(new T5Config(32128, 512, 64, 2048, 6, 8, 32, 128, 1e-6, "relu", "relu", false));
    }

    @Test
    void feedForwardProjSetsTheActivation() {
        T5Config gatedGelu = T5Config.from(ConfigJson.parse("{\"feed_forward_proj\": \"gated-gelu\"}"));
        assertThat(gatedGelu.activation()).isEqualTo(T5Config.Activation.GELU_TANH);
        assertThat(gatedGelu.gatedAct()).isTrue();
        T5Config gatedSilu = T5Config.from(ConfigJson.parse("{\"feed_forward_proj\": \"gated-silu\"}"));
        assertThat(gatedSilu.activation()).isEqualTo(T5Config.Activation.SILU);
        assertThat(gatedSilu.gatedAct()).isTrue();
        T5Config gelu = T5Config.from(ConfigJson.parse("{\"feed_forward_proj\": \"gelu\"}"));
        assertThat(gelu.activation()).isEqualTo(T5Config.Activation.GELU);
        assertThat(gelu.gatedAct()).isFalse();
    }

    @Test
    void aWrongTypedKeyIsNamed() {
        assertThatThrownBy(() -> T5Config.from(ConfigJson.parse("{\"num_heads\": \"64\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'num_heads'");
        assertThatThrownBy(() -> T5Config.from(ConfigJson.parse("{\"layer_norm_epsilon\": \"1e-6\"}")))
                .hasMessageContaining("'layer_norm_epsilon'");
        assertThatThrownBy(() -> T5Config.from(ConfigJson.parse("{\"d_kv\": 64.5}")))
                .hasMessageContaining("'d_kv'");
        assertThatThrownBy(() -> T5Config.from(ConfigJson.parse("{\"feed_forward_proj\": 3}")))
                .hasMessageContaining("'feed_forward_proj'");
        assertThatThrownBy(() -> T5Config.from(ConfigJson.parse("{\"is_gated_act\": \"yes\"}")))
                .hasMessageContaining("'is_gated_act'");
    }

    @Test
    void unsupportedOrMalformedSettingsAreRefused() {
        assertThatThrownBy(() -> T5Config.from(ConfigJson.parse("{\"feed_forward_proj\": \"gated-gelu_fast\"}")))
                .hasMessageContaining("gelu_fast").hasMessageContaining("not supported");
        assertThatThrownBy(() -> T5Config.from(ConfigJson.parse("{\"feed_forward_proj\": \"double-gated-gelu\"}")))
                .hasMessageContaining("'feed_forward_proj' must be 'ACT' or 'gated-ACT'");
        assertThatThrownBy(() -> T5Config.from(ConfigJson.parse("{\"model_type\": \"umt5\"}")))
                .hasMessageContaining("umt5");
        assertThatThrownBy(() -> T5Config.from(ConfigJson.parse("{\"relative_attention_num_buckets\": 2}")))
                .hasMessageContaining("relative_attention_num_buckets");
        assertThatThrownBy(() -> T5Config.from(ConfigJson.parse("{\"num_heads\": 0}")))
                .hasMessageContaining("num_heads");
    }
}
