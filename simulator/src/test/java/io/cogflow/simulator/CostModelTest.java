package io.cogflow.simulator;

import io.cogflow.model.pipeline.BatchProfile;
import io.cogflow.model.pipeline.VideoSize;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CostModelTest {

    static final VideoSize SIZE = VideoSize.parse("64x64x17");

    /** 10 steps; text 100 ms at batch 1, 150 at 4; step 10 ms at 1, 25 at 4; decode 50 per video. */
    static BatchProfile synthetic() {
        return new BatchProfile("m", "synthetic", "today", 10, 3, Map.of(SIZE.toString(), List.of(
                new BatchProfile.Point(1, 100 + 100 + 50, 100, 50),
                new BatchProfile.Point(4, 150 + 250 + 200, 250, 200))));
    }

    @Test
    void partsAreTheProfilesSharesAtEveryBatch() {
        CostModel c = new CostModel(synthetic());
        assertThat(c.stepMs(SIZE, 1)).isEqualTo(10);
        assertThat(c.stepMs(SIZE, 4)).isEqualTo(25);
        assertThat(c.stepMs(SIZE, 2)).isCloseTo(15, within(1e-9));
        assertThat(c.decodeMs(SIZE, 1)).isEqualTo(50);
        assertThat(c.admitMs(SIZE, 1)).isCloseTo(100, within(1e-9));
        assertThat(c.admitMs(SIZE, 4)).isCloseTo(150, within(1e-9));
        // beyond the largest point: per video, as BatchProfile.batchMs
        assertThat(c.stepMs(SIZE, 8)).isCloseTo(50, within(1e-9));
    }

    @Test
    void aBatchOfProfileStepsCostsExactlyWhatTheProfileSays() {
        BatchProfile p = synthetic();
        CostModel c = new CostModel(p);
        for (int b = 1; b <= 12; b++) {
            assertThat(c.generateMs(SIZE, java.util.Collections.nCopies(b, 10))).as("batch " + b)
                    .isCloseTo(p.batchMs(SIZE, b), within(1e-9));
        }
    }

    @Test
    void requestsWithFewerStepsLeaveTheBatchEarly() {
        CostModel c = new CostModel(synthetic());
        // 4 requests: two of 10 steps, two of 4: 4 steps at batch 4, then 6 at batch 2
        double expected = c.admitMs(SIZE, 4) + 4 * c.stepMs(SIZE, 4) + 6 * c.stepMs(SIZE, 2) + c.decodeMs(SIZE, 4);
        assertThat(c.generateMs(SIZE, List.of(10, 4, 10, 4))).isCloseTo(expected, within(1e-9));
    }

    @Test
    void interpolationIsTheProfilesOwn() {
        BatchProfile p = BatchProfile.read(Path.of("../configs/profiles/demo-cpu.json"));
        CostModel c = new CostModel(p);
        for (int b = 1; b <= 40; b++) {
            assertThat(c.interpolate(SIZE, b, BatchProfile.Point::batchMs)).isEqualTo(p.batchMs(SIZE, b));
        }
    }

    @Test
    void aNegativeTextResidualCountsAsFree() {
        // separately measured medians can leave batch − denoise − decode < 0 (the first demo model's profile at
        // batch 1: 557.6 − 413.5 − 149.2 = −5.1 ms)
        CostModel c = new CostModel(new BatchProfile("m", "synthetic", "today", 10, 3, Map.of(SIZE.toString(),
                List.of(new BatchProfile.Point(1, 557.6, 413.5, 149.2)))));
        assertThat(c.admitMs(SIZE, 1)).isZero();
        assertThat(c.generateMs(SIZE, List.of(10))).isCloseTo(413.5 + 149.2, within(1e-9));
    }

    @Test
    void aSizeTheProfileLacksIsRefused() {
        CostModel c = new CostModel(synthetic());
        assertThatThrownBy(() -> c.stepMs(VideoSize.parse("32x32x9"), 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
