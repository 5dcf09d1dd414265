package io.cogflow.training;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExponentialMovingAverageTest {

    @Test
    void theFirstValueIsItsOwnAverageAndLaterOnesMoveItByTheirWeight() {
        ExponentialMovingAverage a = new ExponentialMovingAverage(0.25);
        assertThat(a.add(2.0)).isEqualTo(2.0);
        assertThat(a.add(6.0)).isEqualTo(3.0);
        assertThat(a.add(3.0)).isEqualTo(3.0);
    }

    @Test
    void refusesAWeightOutsideZeroToOne() {
        assertThatThrownBy(() -> new ExponentialMovingAverage(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExponentialMovingAverage(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExponentialMovingAverage(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
