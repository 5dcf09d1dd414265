package io.cogflow.scheduling;

import io.cogflow.model.pipeline.VideoSize;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class BucketAffineRouterTest {
    private static final VideoSize HOT = VideoSize.parse("64x64x9");
    private static final VideoSize COLD = VideoSize.parse("128x128x17");
    private static final long MS = 1_000_000L;

    @Test
    void eachBucketGoesToASetSizedToItsRate() {
        // one slot serves 10 videos/s of either size; about 400/s hot and 40/s cold
        BucketAffineRouter r = new BucketAffineRouter(64, s -> 10.0);
        Map<VideoSize, Set<Integer>> used = new HashMap<>();
        long now = 0;
        for (int i = 0; i < 4400; i++) {
            VideoSize s = i % 11 == 10 ? COLD : HOT;
            now += 25 * MS / 11; // about 440 arrivals/s in all
            int slot = r.route(s, now);
            if (i >= 2200) { // once the rates are known: the first second spills while the estimates ramp up
                used.computeIfAbsent(s, k -> new HashSet<>()).add(slot);
            }
        }
        // far fewer than 64 slots each, and the hot bucket on about 10× as many as the cold one
        assertThat(r.slotsOf(HOT).length).isBetween(40, 64);
        assertThat(r.slotsOf(COLD).length).isBetween(2, 12);
        assertThat(used.get(COLD).size()).isLessThan(24);
    }

    @Test
    void aLightBucketStaysOnOneSlotWhileRebalanceSpreadsItOverAll() {
        BucketAffineRouter affine = new BucketAffineRouter(8, s -> 5.0);
        SlotRouter.RoundRobin rebalance = new SlotRouter.RoundRobin(8, 0);
        Set<Integer> a = new HashSet<>();
        Set<Integer> b = new HashSet<>();
        long now = 0;
        for (int i = 0; i < 100; i++) {
            now += 500 * MS; // 2/s: well within one slot's 5/s
            a.add(affine.route(HOT, now));
            b.add(rebalance.route(HOT, now));
        }
        assertThat(a).hasSize(1);
        assertThat(b).hasSize(8);
    }

    @Test
    void aBurstSpillsOverOnceItsSetIsSaturated() {
        BucketAffineRouter r = new BucketAffineRouter(8, s -> 5.0);
        long now = 0;
        for (int i = 0; i < 50; i++) {
            now += 500 * MS;
            r.route(HOT, now);
        }
        Set<Integer> burst = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            burst.add(r.route(HOT, now)); // 60 at once: far beyond one slot
        }
        assertThat(burst.size()).isGreaterThan(4);
    }

    @Test
    void withoutThroughputsSetsFollowTheShareOfArrivals() {
        BucketAffineRouter r = new BucketAffineRouter(10, s -> Double.NaN);
        long now = 0;
        for (int i = 0; i < 2000; i++) {
            now += 10 * MS;
            r.route(i % 5 == 0 ? COLD : HOT, now);
        }
        assertThat(r.slotsOf(HOT).length).isEqualTo(8);
        assertThat(r.slotsOf(COLD).length).isEqualTo(2);
    }
}
