package io.cogflow.model.transformer;

import io.cogflow.model.testing.ReferenceConfigs;
import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;


import static org.assertj.core.api.Assertions.assertThat;

class ParameterCountTest {

    static TransformerConfig reference(String name) {
        return TransformerConfig.load(ReferenceConfigs.path(name));
    }

    @Test
    void cogVideoX2bHasTheReferenceCount() {
        assertThat(TransformerParameters.count(reference("cogvideox-2b"))).isEqualTo(1_693_783_872L);
    }

    @Test
    void cogVideoX5bHasTheReferenceCount() {
        assertThat(TransformerParameters.count(reference("cogvideox-5b"))).isEqualTo(5_570_283_072L);
    }

    @Test
    void cogVideoX15LinearPatchEmbeddingAndWiderOutput() {
        TransformerConfig c = reference("cogvideox15-5b");
        // 5B plus the Linear patch embedding (128 inputs instead of a 64-input conv) and proj_out to 128:
        // 3072·(128 − 64) + 64·(3072 + 1) more
        long expected = 5_570_283_072L + 3072L * 64 + 64L * 3073;
        assertThat(TransformerParameters.count(c)).isEqualTo(expected);
        assertThat(c.positionEncoding()).isEqualTo(PositionEncoding.ROPE_SLICE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cogvideox_2b_tiny", "cogvideox_5b_tiny", "cogvideox15_tiny"})
    void specsNameExactlyTheCheckpointTensors(String family) {
        TransformerConfig c = TransformerConfig.load(Golden.path(family));
        try (Checkpoint ckpt = Checkpoint.open(Golden.path(family))) {
            assertThat(TransformerParameters.specs(c)).extracting(ParameterSpec::name)
                    .containsExactlyInAnyOrderElementsOf(ckpt.names());
            for (ParameterSpec s : TransformerParameters.specs(c)) {
                assertThat(ckpt.info(s.name()).shape()).as(s.name()).isEqualTo(s.torchShape());
            }
            long stored = ckpt.names().stream().mapToLong(n -> ckpt.info(n).elementCount()).sum();
            assertThat(TransformerParameters.count(c)).isEqualTo(stored);
        }
    }
}
