package io.cogflow.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StepsMixTest {
    @Test
    void parsesStepsAndFractions() {
        StepsMix m = StepsMix.parse("25:0.8, 10:0.2");
        assertThat(m.shares()).containsExactly(new StepsMix.Share(25, 0.8), new StepsMix.Share(10, 0.2));
        assertThat(m).hasToString("25:0.8,10:0.2");
        assertThat(StepsMix.single(25).shares()).containsExactly(new StepsMix.Share(25, 1.0));
    }

    @Test
    void refusesWhatIsNotAMix() {
        assertThatThrownBy(() -> StepsMix.parse("25:0.8,10:0.1")).hasMessageContaining("add up to 1");
        assertThatThrownBy(() -> StepsMix.parse("25")).hasMessageContaining("steps:fraction");
        assertThatThrownBy(() -> StepsMix.parse("25:x")).hasMessageContaining("steps:fraction");
        assertThatThrownBy(() -> StepsMix.parse("0:1")).hasMessageContaining("steps must be positive");
        assertThatThrownBy(() -> StepsMix.parse("25:0.5,25:0.5")).hasMessageContaining("once");
        assertThatThrownBy(() -> new StepsMix(List.of())).hasMessageContaining("at least one");
    }

    @Test
    void assignsTheExactMixInASeededOrder() {
        StepsMix m = StepsMix.parse("25:0.8,10:0.2");
        int[] a = m.assign(60, 7);
        assertThat(Arrays.stream(a).filter(s -> s == 10).count()).isEqualTo(12);
        assertThat(Arrays.stream(a).filter(s -> s == 25).count()).isEqualTo(48);
        assertThat(m.assign(60, 7)).isEqualTo(a);
        assertThat(m.assign(60, 8)).isNotEqualTo(a);
        // shuffled: the ten-step requests are not all at one end
        int firstTen = Arrays.stream(a).limit(30).map(s -> s == 10 ? 1 : 0).sum();
        assertThat(firstTen).isBetween(1, 11);
    }

    @Test
    void roundingGivesTheLeftoverToTheLargestRemainder() {
        // 7 requests at 0.5/0.3/0.2 are 3.5/2.1/1.4 exactly: floors 3/2/1, the seventh goes to the 0.5 share
        int[] a = StepsMix.parse("30:0.5,20:0.3,10:0.2").assign(7, 1);
        assertThat(Arrays.stream(a).filter(s -> s == 30).count()).isEqualTo(4);
        assertThat(Arrays.stream(a).filter(s -> s == 20).count()).isEqualTo(2);
        assertThat(Arrays.stream(a).filter(s -> s == 10).count()).isEqualTo(1);
        assertThat(StepsMix.single(25).assign(3, 1)).containsExactly(25, 25, 25);
    }
}
