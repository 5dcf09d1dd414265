package io.cogflow.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QueueGrowthTest {
    private static List<Double> ramp(int n, double fromMs, double toMs) {
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            v.add(fromMs + (toMs - fromMs) * i / (n - 1));
        }
        return v;
    }

    @Test
    void aStableLevelIsNotFlagged() {
        QueueGrowth g = QueueGrowth.judge(0.99, ramp(60, 400, 600));
        assertThat(g.grows()).isFalse();
        assertThat(g.firstThirdQueueMs()).isLessThan(g.lastThirdQueueMs());
    }

    @Test
    void fallingBehindTheOfferedRateIsGrowth() {
        assertThat(QueueGrowth.judge(0.84, ramp(60, 500, 500)).grows()).isTrue();
        assertThat(QueueGrowth.judge(0.951, ramp(60, 500, 500)).grows()).isFalse();
    }

    @Test
    void queueingTimeThatKeepsRisingIsGrowthEvenWhenTheRateLooksFine() {
        QueueGrowth g = QueueGrowth.judge(0.97, ramp(60, 200, 6000));
        assertThat(g.grows()).isTrue();
        assertThat(g.lastThirdQueueMs() - g.firstThirdQueueMs()).isGreaterThan(3000);
    }

    @Test
    void aRiseMustBeLargeInBothMillisecondsAndProportion() {
        // 50 → 300 ms: five times, but a quarter second
        assertThat(QueueGrowth.judge(1.0, ramp(60, 50, 300)).grows()).isFalse();
        // 3.0 → 4.6 s: more than a second, but not double
        assertThat(QueueGrowth.judge(1.0, ramp(60, 3000, 4600)).grows()).isFalse();
    }

    @Test
    void missingQueueTimesDecideNothingOnTheirOwn() {
        List<Double> none = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            none.add(Double.NaN);
        }
        assertThat(QueueGrowth.judge(1.0, none).grows()).isFalse();
        assertThat(QueueGrowth.judge(1.0, List.of()).grows()).isFalse();
        assertThat(QueueGrowth.judge(0.5, List.of()).grows()).isTrue();
    }
}
