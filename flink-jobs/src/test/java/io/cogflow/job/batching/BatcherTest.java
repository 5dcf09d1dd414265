package io.cogflow.job.batching;

import io.cogflow.model.pipeline.VideoSize;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BatcherTest {
    private static final VideoSize A = VideoSize.parse("64x64x9");
    private static final VideoSize B = VideoSize.parse("128x128x17");

    private static Batcher<String> batcher(int maxBatch, long maxWaitMs) {
        return new Batcher<>(new FixedWaitPolicy(new FixedWaitPolicy.Limits(maxBatch, maxWaitMs),
                Map.of("128x128x17", new FixedWaitPolicy.Limits(2, maxWaitMs))));
    }

    @Test
    void aFullBucketRunsAtOnceUpToItsMaxBatch() throws InterruptedException {
        Batcher<String> b = batcher(3, 60_000);
        for (int i = 0; i < 4; i++) {
            b.add("a" + i, A);
        }
        long t0 = System.nanoTime();
        List<Batcher.Queued<String>> batch = b.take();
        assertThat((System.nanoTime() - t0) / 1e6).isLessThan(1000);
        assertThat(batch).extracting(Batcher.Queued::item).containsExactly("a0", "a1", "a2");
        assertThat(b.depth(A)).isEqualTo(1);
    }

    @Test
    void aPartialBatchWaitsAtMostMaxWait() throws InterruptedException {
        Batcher<String> b = batcher(8, 200);
        b.add("a0", A);
        b.add("a1", A);
        long t0 = System.nanoTime();
        List<Batcher.Queued<String>> batch = b.take();
        double waited = (System.nanoTime() - t0) / 1e6;
        assertThat(batch).hasSize(2);
        assertThat(waited).isBetween(150.0, 2000.0);
    }

    @Test
    void bucketsAreBatchedSeparatelyOldestFirstWithTheirOwnPolicy() throws InterruptedException {
        Batcher<String> b = batcher(4, 0);
        b.add("b0", B);
        b.add("a0", A);
        b.add("b1", B);
        b.add("b2", B);
        assertThat(b.take()).extracting(Batcher.Queued::item).containsExactly("b0", "b1");
        assertThat(b.take()).extracting(Batcher.Queued::item).containsExactly("a0");
        assertThat(b.take()).extracting(Batcher.Queued::item).containsExactly("b2");
        assertThat(b.depth()).isZero();
    }

    @Test
    void closingReleasesAWaitingTakerAndReturnsWhatWasQueued() throws Exception {
        Batcher<String> b = batcher(8, 60_000);
        b.add("a0", A);
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            assertThat(b.close()).extracting(Batcher.Queued::item).containsExactly("a0");
        });
        closer.start();
        assertThat(b.take()).isEmpty();
        closer.join();
    }
}
