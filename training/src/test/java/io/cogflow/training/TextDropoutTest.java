package io.cogflow.training;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TextDropoutTest {
    @Test
    void dropRateMatchesTheProbability() {
        TextDropout d = new TextDropout(0.1, 11);
        int dropped = 0;
        int n = 0;
        for (int step = 0; step < 2000; step++) {
            for (boolean b : d.drop(50)) {
                dropped += b ? 1 : 0;
                n++;
            }
        }
        // 100k Bernoulli(0.1): s.d. of the rate ~0.00095
        assertThat((double) dropped / n).isCloseTo(0.1, within(0.005));
    }

    @Test
    void deterministicPerSeed() {
        assertThat(new TextDropout(0.5, 3).drop(64)).containsExactly(new TextDropout(0.5, 3).drop(64));
        assertThat(new TextDropout(0.5, 3).drop(64)).isNotEqualTo(new TextDropout(0.5, 4).drop(64));
    }

    @Test
    void extremesAndValidation() {
        assertThat(new TextDropout(0, 1).drop(100)).doesNotContain(true);
        assertThat(new TextDropout(1, 1).drop(100)).doesNotContain(false);
        assertThat(new TextDropout(0.3, 1).drop(0)).isEmpty();
        assertThatThrownBy(() -> new TextDropout(1.5, 0)).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> new TextDropout(Double.NaN, 0)).hasMessageContaining("[0, 1]");
    }
}
