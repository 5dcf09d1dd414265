package io.cogflow.scheduling;

import io.cogflow.model.pipeline.VideoSize;

import java.io.Serializable;
import java.util.Map;

/**
 * Triton's dynamic batching with a fixed {@code max_batch} and {@code max_wait} per bucket: a batch runs as soon as
 * it is full or its oldest request has waited {@code max_wait}. {@code max_batch 1, max_wait 0} is no batching.
 */
public record FixedWaitPolicy(Limits defaults, Map<String, Limits> buckets) implements BatchingPolicy {

    /** Triton's {@code max_batch_size} and {@code max_queue_delay} for one bucket. */
    public record Limits(int maxBatch, long maxWaitMs) implements Serializable {
        public Limits {
            if (maxBatch < 1 || maxWaitMs < 0) {
                throw new IllegalArgumentException("batching needs max_batch ≥ 1 and max_wait_ms ≥ 0");
            }
        }
    }

    public FixedWaitPolicy {
        buckets = Map.copyOf(buckets);
        buckets.keySet().forEach(VideoSize::parse);
    }

    /** Every request runs alone, at once. */
    public static FixedWaitPolicy none() {
        return new FixedWaitPolicy(new Limits(1, 0), Map.of());
    }

    public Limits limits(VideoSize size) {
        return buckets.getOrDefault(size.toString(), defaults);
    }

    @Override
    public int maxBatch(VideoSize size) {
        return limits(size).maxBatch();
    }

    @Override
    public Decision decide(VideoSize size, BucketLoad load) {
        Limits l = limits(size);
        int queued = load.queued();
        long oldestWaitNanos = load.oldestWaitNanos();
        long maxWaitNanos = l.maxWaitMs() * 1_000_000;
        if (queued >= l.maxBatch() || oldestWaitNanos >= maxWaitNanos) {
            return Decision.run(Math.min(queued, l.maxBatch()));
        }
        return Decision.waitFor(maxWaitNanos - oldestWaitNanos);
    }
}
