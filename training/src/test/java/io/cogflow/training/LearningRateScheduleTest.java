package io.cogflow.training;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LearningRateScheduleTest {
    private final LearningRateSchedule lr = new LearningRateSchedule(1e-4, 100, 1000, 1e-6);

    @Test
    void warmsUpLinearlyToThePeak() {
        assertThat(lr.at(0)).isCloseTo(1e-6, within(1e-12)).isPositive();
        assertThat(lr.at(49)).isCloseTo(5e-5, within(1e-12));
        assertThat(lr.at(99)).isCloseTo(1e-4, within(1e-12));
        assertThat(lr.at(100)).isCloseTo(1e-4, within(1e-12));
        for (int s = 1; s < 100; s++) {
            assertThat(lr.at(s)).isGreaterThan(lr.at(s - 1));
        }
    }

    @Test
    void decaysMonotonicallyToTheFloor() {
        for (int s = 101; s <= 1000; s++) {
            assertThat(lr.at(s)).isLessThanOrEqualTo(lr.at(s - 1));
        }
        assertThat(lr.at(550)).isCloseTo((1e-4 + 1e-6) / 2, within(1e-12)); // cosine midpoint
        assertThat(lr.at(1000)).isEqualTo(1e-6);
        assertThat(lr.at(5000)).isEqualTo(1e-6);
    }

    @Test
    void noWarmupStartsAtThePeak() {
        assertThat(new LearningRateSchedule(2e-5, 0, 10, 0).at(0)).isEqualTo(2e-5);
    }

    @Test
    void restartsWarmUpAndDecayEachSpanOnItsOwn() {
        LearningRateSchedule restarting = lr.restartingAt(400, 700);
        for (int s = 0; s < 400; s++) { // the first span is a whole schedule of 400 steps
            assertThat(restarting.at(s)).isCloseTo(new LearningRateSchedule(1e-4, 100, 400, 1e-6).at(s),
                    within(1e-15));
        }
        LearningRateSchedule middle = new LearningRateSchedule(1e-4, 100, 300, 1e-6);
        for (int s = 400; s < 700; s++) {
            assertThat(restarting.at(s)).isCloseTo(middle.at(s - 400), within(1e-15));
        }
        assertThat(restarting.at(399)).isLessThan(2e-6);     // the end of a span is near the floor…
        assertThat(restarting.at(400)).isCloseTo(1e-6, within(1e-12)); // …and the next one warms up again
        assertThat(restarting.at(499)).isCloseTo(1e-4, within(1e-12));
        assertThat(restarting.at(850)).isCloseTo(new LearningRateSchedule(1e-4, 100, 300, 1e-6).at(150),
                within(1e-15));
        assertThat(restarting.at(1000)).isEqualTo(1e-6);
        // without restarts the same schedule is still one cosine
        assertThat(lr.restartingAt().at(400)).isEqualTo(lr.at(400));
    }

    @Test
    void aHeldFirstSpanStaysAtThePeakUntilTheFirstRestart() {
        LearningRateSchedule restarting = lr.restartingAt(400, 700);
        LearningRateSchedule held = restarting.holdingFirstSpan();
        for (int s = 0; s < 100; s++) { // the same warmup
            assertThat(held.at(s)).isEqualTo(restarting.at(s));
        }
        for (int s = 100; s < 400; s++) {
            assertThat(held.at(s)).isEqualTo(1e-4);
        }
        for (int s = 400; s <= 1000; s++) { // the later spans warm up and decay as before
            assertThat(held.at(s)).isEqualTo(restarting.at(s));
        }
        // restarts set after the hold keep it
        assertThat(lr.restartingAt(500).holdingFirstSpan().restartingAt(400, 700).at(399)).isEqualTo(1e-4);
    }

    @Test
    void refusesToHoldTheOnlySpan() {
        assertThatThrownBy(lr::holdingFirstSpan).hasMessageContaining("must decay where training ends");
    }

    @Test
    void refusesRestartsThatLeaveASpanNoRoomAfterItsWarmup() {
        assertThatThrownBy(() -> lr.restartingAt(100)).hasMessageContaining("warmup");
        assertThatThrownBy(() -> lr.restartingAt(500, 450)).hasMessageContaining("ascend");
        assertThatThrownBy(() -> lr.restartingAt(1000)).hasMessageContaining("ascend");
        assertThatThrownBy(() -> lr.restartingAt(900)).hasMessageContaining("last span");
    }

    @Test
    void rejectsInconsistentSettings() {
        assertThatThrownBy(() -> new LearningRateSchedule(1e-4, 10, 10, 0)).hasMessageContaining("warmupSteps < totalSteps");
        assertThatThrownBy(() -> new LearningRateSchedule(1e-4, 0, 10, 2e-4)).hasMessageContaining("floor");
        assertThatThrownBy(() -> new LearningRateSchedule(0, 0, 10, 0)).hasMessageContaining("peak");
        assertThatThrownBy(() -> lr.at(-1)).hasMessageContaining("non-negative");
    }
}
