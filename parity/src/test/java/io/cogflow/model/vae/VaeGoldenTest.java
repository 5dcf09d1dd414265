package io.cogflow.model.vae;

import io.cogflow.parity.VaeParity;
import io.cogflow.model.testing.Golden;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The tiny VAE against the diffusers reference: encoder moments and the chunked decode. */
class VaeGoldenTest {

    @Test
    void encoderAndChunkedDecoderMatchReference() {
        VaeParity.Report report = VaeParity.run(Golden.path("vae_tiny"), Golden.path("vae_tiny/golden.safetensors"),
                VaeOptions.defaults());
        assertThat(report.comparisons()).containsKeys("latent_mean", "latent_logvar", "decoded");
        report.comparisons().forEach((name, c) -> {
            assertThat(c.passed()).as(name + ": " + c.summary()).isTrue();
            assertThat(c.relativeL2()).as(name).isLessThan(1e-5);
        });
    }
}
