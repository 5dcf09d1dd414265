package io.cogflow.scheduling;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PercentilesTest {
    @Test
    void nearestRankOverAShuffledSampleIgnoringMissingValues() {
        List<Double> v = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            v.add((double) i);
        }
        Collections.shuffle(v, new java.util.Random(1));
        v.add(Double.NaN);
        Percentiles p = Percentiles.of(v);
        assertThat(p.count()).isEqualTo(100);
        assertThat(p.p50()).isEqualTo(50);
        assertThat(p.p95()).isEqualTo(95);
        assertThat(p.p99()).isEqualTo(99);
        assertThat(p.max()).isEqualTo(100);
        assertThat(Percentiles.of(List.of()).count()).isZero();
        assertThat(Percentiles.of(new double[]{3, Double.NaN, 1, 2})).isEqualTo(new Percentiles(3, 2, 3, 3, 3));
    }
}
