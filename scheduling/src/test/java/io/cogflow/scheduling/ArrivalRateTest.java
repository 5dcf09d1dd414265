package io.cogflow.scheduling;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ArrivalRateTest {
    @Test
    void steadyArrivalsGiveTheirRateAndSilenceLowersIt() {
        ArrivalRate r = new ArrivalRate();
        assertThat(r.perSecond(0)).isZero();
        long t = 0;
        for (int i = 0; i < 50; i++) {
            r.arrived(t);
            t += 250_000_000L; // 4 per second
        }
        long last = t - 250_000_000L;
        assertThat(r.perSecond(last + 100_000_000L)).isCloseTo(4.0, within(0.01));
        // two seconds without an arrival: no more than one per two seconds
        assertThat(r.perSecond(last + 2_000_000_000L)).isCloseTo(0.5, within(0.01));
    }
}
