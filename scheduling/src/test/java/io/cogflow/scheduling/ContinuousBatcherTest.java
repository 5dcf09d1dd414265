package io.cogflow.scheduling;

import io.cogflow.model.pipeline.VideoSize;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ContinuousBatcherTest {
    private static final VideoSize A = VideoSize.parse("64x64x9");
    private static final VideoSize B = VideoSize.parse("128x128x17");
    private static final long MS = 1_000_000L;

    private static ContinuousBatcher<String> batcher(int maxRunning) {
        return new ContinuousBatcher<>(new ContinuousPolicy(new FixedWaitPolicy(
                new FixedWaitPolicy.Limits(maxRunning, 0), Map.of()), 1000, 1));
    }

    private static List<String> items(SlotWork<String> w) {
        return w.requests().stream().map(Queued::item).toList();
    }

    /** Drives the batcher with 10 ms per piece of work; records every work as "kind:items". */
    private static final class Driver {
        final ContinuousBatcher<String> b;
        long now;
        final List<String> log = new ArrayList<>();

        Driver(ContinuousBatcher<String> b) {
            this.b = b;
        }

        void add(String item, VideoSize size, int priority, int steps) {
            b.add(new Queued<>(item, size, priority, steps, now));
        }

        SlotWork<String> once() {
            SlotWork<String> w = b.next(now);
            if (!(w instanceof SlotWork.Idle)) {
                now += 10 * MS;
                b.done(w, 10 * MS, now);
                log.add(w.getClass().getSimpleName() + ":" + String.join(",", items(w)));
            }
            return w;
        }

        void untilIdle() {
            for (int i = 0; i < 10_000; i++) {
                if (once() instanceof SlotWork.Idle) {
                    return;
                }
            }
            throw new AssertionError("never idle");
        }
    }

    @Test
    void aRequestJoinsAtTheNextStepAndLeavesForDecodeAsSoonAsItsStepsAreDone() {
        Driver d = new Driver(batcher(4));
        d.add("long", A, 0, 5);
        d.once(); // admit long
        d.once(); // step 1
        d.once(); // step 2
        d.add("short", A, 0, 2);
        d.untilIdle();
        assertThat(d.log).containsExactly("Admit:long", "Step:long", "Step:long", "Admit:short",
                "Step:long,short", "Step:long,short", "Decode:short", "Step:long", "Decode:long");
    }

    @Test
    void decodesAreInterleavedOneChunkBetweenSteps() {
        Driver d = new Driver(batcher(8));
        for (int i = 0; i < 3; i++) {
            d.add("s" + i, A, 0, 1);
        }
        d.add("long", A, 0, 4);
        d.untilIdle();
        // the three 1-step requests finish together; while "long" runs, one decode between two of its steps
        assertThat(d.log).containsExactly("Admit:s0,s1,s2,long", "Step:s0,s1,s2,long", "Decode:s0", "Step:long",
                "Decode:s1", "Step:long", "Decode:s2", "Step:long", "Decode:long");
    }

    @Test
    void theRunningSetIsCappedAndTheMemoryLimitLowersTheCap() {
        ContinuousBatcher<String> b = new ContinuousBatcher<>(new ContinuousPolicy(new FixedWaitPolicy(
                new FixedWaitPolicy.Limits(4, 0), Map.of()), 1000, 1), size -> size.equals(B) ? 2 : 100);
        assertThat(b.cap(A)).isEqualTo(4);
        assertThat(b.cap(B)).isEqualTo(2);
        Driver d = new Driver(b);
        for (int i = 0; i < 6; i++) {
            d.add("a" + i, A, 0, 3);
        }
        SlotWork<String> w = d.once();
        assertThat(items(w)).containsExactly("a0", "a1", "a2", "a3");
        assertThat(items(d.once())).containsExactly("a0", "a1", "a2", "a3");
    }

    @Test
    void higherPriorityJoinsFirstButAgeingServesALowOneEventually() {
        Driver d = new Driver(batcher(1));
        d.add("low", A, 0, 1);
        d.add("high", A, 5, 1);
        d.untilIdle();
        assertThat(d.log.get(0)).isEqualTo("Admit:high");

        // a stream of priority-3 requests, one per 10 ms, against one low one: 3 s of waiting lift it above them
        Driver e = new Driver(batcher(1));
        e.add("low", A, 0, 1);
        int served = 0;
        for (int i = 0; i < 2000 && !e.log.contains("Admit:low"); i++) {
            e.add("p" + i, A, 3, 1);
            e.once();
            served++;
        }
        assertThat(e.log).contains("Admit:low");
        assertThat(e.now).isGreaterThanOrEqualTo(3000 * MS).isLessThan(10_000 * MS);
    }

    @Test
    void bucketsTakeTurnsByRunningRequestsAndNoneIsStarved() {
        Driver d = new Driver(batcher(8));
        for (int i = 0; i < 6; i++) {
            d.add("a" + i, A, 0, 1000);
        }
        d.add("b0", B, 0, 1000);
        Map<String, Integer> steps = new HashMap<>();
        for (int i = 0; i < 700; i++) {
            SlotWork<String> w = d.once();
            if (w instanceof SlotWork.Step<String> s) {
                steps.merge(s.size().toString(), 1, Integer::sum);
            }
        }
        // equal time per running request: A (6 running) steps about 6 times as often as B (1 running)
        double ratio = steps.get(A.toString()) / (double) steps.get(B.toString());
        assertThat(ratio).isBetween(5.0, 7.0);
    }

    @Test
    void aBucketThatBecomesActiveDoesNotMonopoliseTheSlot() {
        Driver d = new Driver(batcher(8));
        d.add("a0", A, 0, 10_000);
        for (int i = 0; i < 200; i++) {
            d.once();
        }
        d.add("b0", B, 0, 10_000);
        List<String> next = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            SlotWork<String> w = d.once();
            next.add(w.getClass().getSimpleName() + ":" + w.requests().get(0).size());
        }
        // B starts at A's virtual time: they alternate instead of B taking 200 steps in a row
        assertThat(next.stream().filter(s -> s.startsWith("Step:" + A)).count()).isBetween(3L, 6L);
    }

    @Test
    void aDroppedRequestLeavesWherever() {
        Driver d = new Driver(batcher(4));
        d.add("x", A, 0, 5);
        d.add("y", A, 0, 5);
        d.once();
        d.b.drop("x");
        assertThat(items(d.once())).containsExactly("y");
        assertThat(d.b.depth(A)).isEqualTo(1);
        assertThat(d.b.drain()).extracting(Queued::item).containsExactly("y");
    }
}
