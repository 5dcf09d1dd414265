package io.cogflow.simulator;

/**
 * What the streaming pipeline adds around generation.
 *
 * @param overheadMs    fixed time per request outside the generator slot (Kafka in, MP4 encode, Kafka out). It is
 *                      pipelined on other threads, so it delays a result but occupies no slot; a constant delay
 *                      commutes with the queue, so it is all added after generation, where it shifts which
 *                      checkpoint the result falls in
 * @param checkpointMs  the checkpoint interval: a result is visible (its Kafka transaction committed) at the first
 *                      checkpoint completing at or after it was produced; checkpoints complete at k × interval.
 *                      0: no checkpoint wait (at-least-once)
 * @param commitDelayMs from a checkpoint's completion to its transaction's commit being visible
 */
public record Pipeline(double overheadMs, long checkpointMs, double commitDelayMs) {

    public Pipeline {
        if (!(overheadMs >= 0) || checkpointMs < 0 || !(commitDelayMs >= 0)) {
            throw new IllegalArgumentException("pipeline overhead, checkpoint interval and commit delay must be >= 0, "
                    + "got " + overheadMs + ", " + checkpointMs + ", " + commitDelayMs);
        }
    }

    /** When a result generated at {@code generatedNanos} becomes visible to a read_committed consumer. */
    public long visibleNanos(long generatedNanos) {
        long produced = generatedNanos + Math.round(overheadMs * 1e6);
        long visible = produced;
        if (checkpointMs > 0) {
            long interval = checkpointMs * 1_000_000;
            visible = Math.floorDiv(produced + interval - 1, interval) * interval;
        }
        return visible + Math.round(commitDelayMs * 1e6);
    }
}
