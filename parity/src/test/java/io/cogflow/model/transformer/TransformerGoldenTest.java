package io.cogflow.model.transformer;

import io.cogflow.parity.Comparison;
import io.cogflow.parity.TransformerParity;
import io.cogflow.model.testing.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The three CogVideoX families against the diffusers reference outputs. */
class TransformerGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"cogvideox_2b_tiny", "cogvideox_5b_tiny", "cogvideox15_tiny"})
    void matchesReference(String family) {
        TransformerParity.Report report = TransformerParity.run(Golden.path(family),
                Golden.path(family + "/golden.safetensors"), DenoiserOptions.defaults());
        Comparison c = report.comparison();
        assertThat(c.passed()).as(family + ": " + c.summary()).isTrue();
        assertThat(c.relativeL2()).isLessThan(1e-5);
    }
}
