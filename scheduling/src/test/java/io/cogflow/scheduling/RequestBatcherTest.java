package io.cogflow.scheduling;

import io.cogflow.model.pipeline.VideoSize;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RequestBatcherTest {
    private static final VideoSize A = VideoSize.parse("64x64x9");
    private static final VideoSize B = VideoSize.parse("128x128x17");
    private static final long MS = 1_000_000L;

    private static RequestBatcher<String> batcher(int maxBatch, long maxWaitMs) {
        return new RequestBatcher<>(new FixedWaitPolicy(new FixedWaitPolicy.Limits(maxBatch, maxWaitMs),
                Map.of("128x128x17", new FixedWaitPolicy.Limits(2, maxWaitMs))));
    }

    private static Queued<String> at(String item, VideoSize size, long ms) {
        return new Queued<>(item, size, 0, 10, ms * MS);
    }

    private static List<String> items(SlotWork<String> w) {
        return w.requests().stream().map(Queued::item).toList();
    }

    @Test
    void aFullBucketRunsAtOnceUpToItsMaxBatch() {
        RequestBatcher<String> b = batcher(3, 60_000);
        for (int i = 0; i < 4; i++) {
            b.add(at("a" + i, A, 0));
        }
        SlotWork<String> w = b.next(0);
        assertThat(w).isInstanceOf(SlotWork.Generate.class);
        assertThat(items(w)).containsExactly("a0", "a1", "a2");
        assertThat(b.depth(A)).isEqualTo(1);
    }

    @Test
    void aPartialBatchWaitsAtMostMaxWait() {
        RequestBatcher<String> b = batcher(8, 200);
        b.add(at("a0", A, 0));
        b.add(at("a1", A, 50));
        SlotWork<String> w = b.next(50 * MS);
        assertThat(w).isEqualTo(new SlotWork.Idle<String>(150 * MS));
        assertThat(items(b.next(200 * MS))).containsExactly("a0", "a1");
    }

    @Test
    void bucketsAreBatchedSeparatelyOldestFirstWithTheirOwnPolicy() {
        RequestBatcher<String> b = batcher(4, 0);
        b.add(at("b0", B, 0));
        b.add(at("a0", A, 1));
        b.add(at("b1", B, 2));
        b.add(at("b2", B, 3));
        List<List<String>> order = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SlotWork<String> w = b.next(10 * MS);
            order.add(items(w));
            b.done(w, MS, 10 * MS);
        }
        assertThat(order).containsExactly(List.of("b0", "b1"), List.of("a0"), List.of("b2"));
        assertThat(b.depth()).isZero();
    }

    @Test
    void oneBatchAtATime() {
        RequestBatcher<String> b = batcher(1, 0);
        b.add(at("a0", A, 0));
        b.add(at("a1", A, 0));
        b.next(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.next(0))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingReleasesAWaitingTakerAndReturnsWhatWasQueued() throws Exception {
        BlockingSlot<String> slot = new BlockingSlot<>(batcher(8, 60_000));
        slot.add("a0", A, 0, 10);
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            assertThat(slot.close()).extracting(Queued::item).containsExactly("a0");
        });
        closer.start();
        assertThat(slot.next()).isNull();
        closer.join();
    }

    @Test
    void aBlockingSlotWaitsOutMaxWaitOnTheWallClock() throws InterruptedException {
        BlockingSlot<String> slot = new BlockingSlot<>(batcher(8, 200));
        slot.add("a0", A, 0, 10);
        slot.add("a1", A, 0, 10);
        long t0 = System.nanoTime();
        SlotWork<String> w = slot.next();
        double waited = (System.nanoTime() - t0) / 1e6;
        assertThat(w.requests()).hasSize(2);
        assertThat(waited).isBetween(150.0, 2000.0);
    }
}
