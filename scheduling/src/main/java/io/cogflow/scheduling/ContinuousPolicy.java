package io.cogflow.scheduling;

import io.cogflow.model.pipeline.VideoSize;

import java.util.function.ToIntFunction;

/**
 * Continuous (iteration-level) batching's settings ({@link ContinuousBatcher}).
 *
 * @param runningLimits    the most requests in one bucket's running set: the {@link BatchingPolicy#maxBatch} of
 *                         the fixed limits, or of the adaptive policy when a profile is configured (the batch beyond
 *                         which per-video throughput stops improving); the slot may lower it further for memory
 * @param priorityAgingMs  a queued request gains one priority level per this many milliseconds of waiting, so a
 *                         low priority is served late but never starved
 * @param decodeChunk      videos decoded between two denoising steps while requests are running: each step is
 *                         delayed by at most this many decodes
 */
public record ContinuousPolicy(BatchingPolicy runningLimits, long priorityAgingMs, int decodeChunk)
        implements SlotPolicy {

    public static final long DEFAULT_PRIORITY_AGING_MS = 1000;
    public static final int DEFAULT_DECODE_CHUNK = 1;

    public ContinuousPolicy {
        if (runningLimits == null) {
            throw new IllegalArgumentException("continuous batching needs the running-set limits");
        }
        if (priorityAgingMs < 1 || decodeChunk < 1) {
            throw new IllegalArgumentException("continuous batching needs priority_aging_ms >= 1 and "
                    + "decode_chunk >= 1, got " + priorityAgingMs + " and " + decodeChunk);
        }
    }

    /** The most requests running together in this bucket (before any memory limit of the slot). */
    public int maxRunning(VideoSize size) {
        return runningLimits.maxBatch(size);
    }

    /** A step carries the whole running set; an admission or decode at most as many. */
    @Override
    public int maxBatch(VideoSize size) {
        return maxRunning(size);
    }

    @Override
    public <T> SlotScheduler<T> scheduler(ToIntFunction<VideoSize> memoryLimit) {
        return new ContinuousBatcher<>(this, memoryLimit);
    }
}
