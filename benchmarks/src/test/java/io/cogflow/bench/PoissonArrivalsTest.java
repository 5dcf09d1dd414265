package io.cogflow.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PoissonArrivalsTest {
    @Test
    void gapsAverageOneOverTheRateAndVaryLikeAnExponential() {
        long[] t = new PoissonArrivals(4.0, 3).offsets(20_000, 1e9);
        assertThat(t).hasSize(20_000);
        double mean = t[t.length - 1] / 1e9 / t.length;
        assertThat(mean).isCloseTo(0.25, within(0.01));
        double sq = 0;
        for (int i = 1; i < t.length; i++) {
            double gap = (t[i] - t[i - 1]) / 1e9;
            assertThat(gap).isPositive();
            sq += (gap - mean) * (gap - mean);
        }
        // an exponential's standard deviation equals its mean (a fixed-interval generator would give 0)
        assertThat(Math.sqrt(sq / (t.length - 2))).isCloseTo(0.25, within(0.015));
    }

    @Test
    void arrivalsStopAtTheTimeBoundAndTheSameSeedRepeats() {
        long[] t = new PoissonArrivals(10.0, 5).offsets(1_000, 2.0);
        assertThat(t.length).isBetween(10, 35);
        assertThat(t[t.length - 1]).isLessThanOrEqualTo(2_000_000_000L);
        assertThat(new PoissonArrivals(10.0, 5).offsets(1_000, 2.0)).isEqualTo(t);
    }
}
