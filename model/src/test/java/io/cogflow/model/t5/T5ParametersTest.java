package io.cogflow.model.t5;

import io.cogflow.model.testing.ReferenceConfigs;
import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.testing.Golden;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

class T5ParametersTest {

    static T5Config xxl() {
        return T5Config.load(ReferenceConfigs.path("t5_v1_1_xxl_encoder"));
    }

    @Test
    void t5V11XxlEncoderHasTheReferenceCount() {
        T5Config c = xxl();
        assertThat(c.dModel()).isEqualTo(4096);
        assertThat(c.activation()).isEqualTo(T5Config.Activation.GELU_TANH);
        assertThat(c.gatedAct()).isTrue();
        assertThat(T5Parameters.count(c)).isEqualTo(4_762_310_656L);
    }

    @Test
    void countFollowsTheShapesForAnyConfig() {
        // d_kv·heads ≠ d_model, non-gated: wi instead of wi_0/wi_1
        T5Config c = new T5Config(100, 24, 5, 40, 3, 3, 10, 30, 1e-6, "relu", "relu", false);
        long inner = 15;
        long perBlock = 3 * inner * 24 + 24 * inner + 2 * 24 * 40 + 2 * 24;
        assertThat(T5Parameters.count(c)).isEqualTo(100 * 24 + 3 * perBlock + 10 * 3 + 24);
        assertThat(T5Parameters.specs(c)).extracting(ParameterSpec::name)
                .contains("encoder.block.2.layer.1.DenseReluDense.wi.weight")
                .doesNotContain("encoder.block.2.layer.1.DenseReluDense.wi_0.weight",
                        "encoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight");
    }

    @Test
    void specsNameExactlyTheCheckpointTensors() {
        T5Config c = T5Config.load(Golden.path("t5_tiny"));
        try (Checkpoint ckpt = Checkpoint.open(Golden.path("t5_tiny"))) {
            assertThat(T5Parameters.specs(c)).extracting(ParameterSpec::name)
                    .containsExactlyInAnyOrderElementsOf(ckpt.names());
            for (ParameterSpec s : T5Parameters.specs(c)) {
                assertThat(ckpt.info(s.name()).shape()).as(s.name()).isEqualTo(s.torchShape());
            }
            long stored = ckpt.names().stream().mapToLong(n -> ckpt.info(n).elementCount()).sum();
            assertThat(T5Parameters.count(c)).isEqualTo(stored);
        }
    }
}
