package io.cogflow.scheduling;

import io.cogflow.model.pipeline.BatchProfile;
import io.cogflow.model.pipeline.BatchProfile.Point;
import io.cogflow.model.pipeline.VideoSize;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AdaptivePolicyTest {
    private static final VideoSize SIZE = VideoSize.parse("64x64x17");
    private static final VideoSize OTHER = VideoSize.parse("128x128x17");
    private static final FixedWaitPolicy FALLBACK = new FixedWaitPolicy(new FixedWaitPolicy.Limits(3, 700), Map.of());

    /** A saturated CPU: per-video cost bottoms out at batch 4 and rises after it. */
    private static final BatchProfile CPU = profile(new double[][]{{1, 620}, {2, 1000}, {4, 1580}, {8, 3400},
            {16, 7000}});
    /** A GPU at a small size: per-video cost keeps falling up to 16. */
    private static final BatchProfile GPU = profile(new double[][]{{1, 100}, {2, 110}, {4, 130}, {8, 170},
            {16, 260}});

    private static BatchProfile profile(double[][] points) {
        List<Point> p = new java.util.ArrayList<>();
        for (double[] x : points) {
            p.add(new Point((int) x[0], x[1], x[1] * 0.8, x[1] * 0.2));
        }
        return new BatchProfile("test", "test", "2026-11-26", 25, 4.0, Map.of(SIZE.toString(), p));
    }

    @Test
    void theBatchSizeIsTheSmallestNearTheBestThroughputThatFitsTheTarget() {
        assertThat(new AdaptivePolicy(CPU, 10_000, FALLBACK).batchSize(SIZE)).isEqualTo(4);
        assertThat(new AdaptivePolicy(GPU, 10_000, FALLBACK).batchSize(SIZE)).isEqualTo(16);
        // half of a 400 ms target leaves 200 ms for the batch: 16 (260 ms) no longer fits
        assertThat(new AdaptivePolicy(GPU, 400, FALLBACK).batchSize(SIZE)).isEqualTo(8);
        // nothing fits: the smallest measured batch still runs
        assertThat(new AdaptivePolicy(CPU, 500, FALLBACK).batchSize(SIZE)).isEqualTo(1);
    }

    @Test
    void aFullBatchRunsAtOnceAndALoneRequestWithoutTrafficDoesNotWait() {
        AdaptivePolicy p = new AdaptivePolicy(CPU, 10_000, FALLBACK);
        assertThat(p.decide(SIZE, BucketLoad.of(9, 0, 5.0))).isEqualTo(BatchingPolicy.Decision.run(4));
        assertThat(p.decide(SIZE, BucketLoad.of(1, 0, 0))).isEqualTo(BatchingPolicy.Decision.run(1));
    }

    @Test
    void theBatchGrowsWithTheArrivalRateUntilItKeepsUp() {
        AdaptivePolicy p = new AdaptivePolicy(CPU, 10_000, FALLBACK);
        // batch 1 serves 1.61/s, 2 serves 2.0/s, 3 (interpolated) 2.33/s; 10 % headroom
        assertThat(p.batchForLoad(SIZE, 0, 4)).isEqualTo(1);
        assertThat(p.batchForLoad(SIZE, 1.0, 4)).isEqualTo(1);
        assertThat(p.batchForLoad(SIZE, 1.7, 4)).isEqualTo(2);
        assertThat(p.batchForLoad(SIZE, 2.0, 4)).isEqualTo(3);
        assertThat(p.batchForLoad(SIZE, 50, 4)).isEqualTo(4);
        // light traffic: two queued run now; heavy traffic: wait for the third
        assertThat(p.decide(SIZE, BucketLoad.of(2, 0, 1.0))).isEqualTo(BatchingPolicy.Decision.run(2));
        BatchingPolicy.Decision heavy = p.decide(SIZE, BucketLoad.of(2, 0, 2.0));
        assertThat(heavy.runs()).isFalse();
        assertThat(heavy.waitNanos()).isBetween(500_000_000L, 750_000_000L);
    }

    @Test
    void whenArrivalsStopTheMeasuredRateFallsAndTheQueuedRequestsRun() {
        AdaptivePolicy p = new AdaptivePolicy(CPU, 10_000, FALLBACK);
        ArrivalRate rate = new ArrivalRate();
        long now = 0;
        for (int i = 0; i < 10; i++) {
            rate.arrived(now);
            now += 100_000_000L; // 10 per second, then nothing
        }
        long lastArrival = now - 100_000_000L;
        BatchingPolicy.Decision d;
        int decisions = 0;
        while (!(d = p.decide(SIZE, BucketLoad.of(2, now - lastArrival, rate.perSecond(now)))).runs()) {
            now += d.waitNanos();
            assertThat(++decisions).isLessThan(100);
        }
        assertThat(d.take()).isEqualTo(2);
        assertThat((now - lastArrival) / 1e9).isLessThan(2.0);
    }

    @Test
    void theLatencyTargetCutsTheWaitShort() {
        AdaptivePolicy p = new AdaptivePolicy(CPU, 10_000, FALLBACK);
        // the oldest has waited 8.5 s; a batch of 4 takes 1.58 s: no slack left to wait in
        assertThat(p.decide(SIZE, BucketLoad.of(2, 8_500_000_000L, 10.0))).isEqualTo(BatchingPolicy.Decision.run(2));
    }

    @Test
    void sizesTheProfileLacksUseTheFixedLimits() {
        AdaptivePolicy p = new AdaptivePolicy(CPU, 10_000, FALLBACK);
        assertThat(p.decide(OTHER, BucketLoad.of(5, 0, 0))).isEqualTo(BatchingPolicy.Decision.run(3));
        assertThat(p.decide(OTHER, BucketLoad.of(1, 0, 0))).isEqualTo(BatchingPolicy.Decision.waitFor(700_000_000L));
    }

    @Test
    void theBatcherTakesTheProfilesBatchSizeFromABurst() {
        RequestBatcher<Integer> b = new RequestBatcher<>(new AdaptivePolicy(CPU, 10_000, FALLBACK));
        for (int i = 0; i < 10; i++) {
            b.add(new Queued<>(i, SIZE, 0, 25, i));
        }
        SlotWork<Integer> first = b.next(100);
        assertThat(first.requests()).extracting(Queued::item).containsExactly(0, 1, 2, 3);
        b.done(first, 1_580_000_000L, 1_580_000_100L);
        assertThat(b.next(1_580_000_100L).requests()).hasSize(4);
        assertThat(b.depth(SIZE)).isEqualTo(2);
    }

    @Test
    void itPlansFromWhatThePipelineDeliversNotTheBareProfile() {
        AdaptivePolicy p = new AdaptivePolicy(CPU, 10_000, new FixedWaitPolicy(new FixedWaitPolicy.Limits(3, 5000),
                Map.of()));
        ServiceTimes measured = new ServiceTimes();
        // by the profile, batch 2 serves 2.0/s: enough for 1.7/s with 10 % headroom
        assertThat(p.decide(SIZE, new BucketLoad(2, 0, 1.7, measured))).isEqualTo(BatchingPolicy.Decision.run(2));
        // this slot's batches of 2 take 1.25 s, not 1.0 s: 2 serve only 1.6/s, so it waits for more
        measured.record(2, 1250);
        assertThat(p.slowdown(SIZE, measured)).isCloseTo(1.25, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(p.decide(SIZE, new BucketLoad(2, 0, 1.7, measured)).runs()).isFalse();
    }

    @Test
    void itNeverWaitsLongerThanTheFixedMaxWait() {
        // a 10 s target would allow a wait of seconds for a slow trickle; max_wait_ms 700 caps it
        AdaptivePolicy p = new AdaptivePolicy(CPU, 10_000, FALLBACK);
        BatchingPolicy.Decision d = p.decide(SIZE, BucketLoad.of(1, 0, 1.6));
        assertThat(d.runs()).isFalse();
        assertThat(d.waitNanos()).isLessThanOrEqualTo(700_000_000L);
        assertThat(p.decide(SIZE, BucketLoad.of(1, 700_000_000L, 1.6))).isEqualTo(BatchingPolicy.Decision.run(1));
    }
}
