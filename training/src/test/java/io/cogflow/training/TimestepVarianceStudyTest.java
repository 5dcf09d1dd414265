package io.cogflow.training;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TimestepVarianceStudyTest {
    @Test
    void curvePassesThroughThePaperPoints() {
        assertThat(TimestepVarianceStudy.lossCurve(100)).isCloseTo(0.216, within(1e-12));
        assertThat(TimestepVarianceStudy.lossCurve(500)).isCloseTo(0.116, within(1e-12));
        assertThat(TimestepVarianceStudy.lossCurve(900)).isCloseTo(0.157, within(1e-12));
        assertThat(TimestepVarianceStudy.lossCurve(200)).isCloseTo(0.171, within(1e-12));
        assertThat(TimestepVarianceStudy.lossCurve(0)).isCloseTo(0.261, within(1e-12));
    }

    @Test
    void stratifiedStepLossVariesLessThanIndependent() {
        List<TimestepVarianceStudy.Row> rows = TimestepVarianceStudy.run();
        System.out.print(TimestepVarianceStudy.table(rows));
        for (TimestepVarianceStudy.Row row : rows) {
            assertThat(row.stratified()).as("R=%d", row.ranks()).isLessThan(row.independent());
            assertThat(row.expectedStratified()).isLessThan(row.expectedIndependent());
            // the simulation agrees with the closed form to sampling error (20k steps: ~1 % s.d.)
            assertThat(row.independent()).isCloseTo(row.expectedIndependent(), within(0.06 * row.expectedIndependent()));
            assertThat(row.stratified()).isCloseTo(row.expectedStratified(), within(0.06 * row.expectedStratified()));
        }
        assertThat(rows).extracting(TimestepVarianceStudy.Row::ranks).containsExactly(2, 4, 8);
    }
}
