package io.cogflow.scheduling;

import io.cogflow.model.pipeline.VideoSize;

/**
 * A request waiting in, or running on, one generator slot: what a scheduler needs to know of it and nothing else.
 *
 * @param item         what the caller queued (the job: a request with its result future; the simulator: a
 *                     simulated request)
 * @param priority     higher joins first (continuous batching); request-level batching serves oldest first
 * @param steps        denoising steps the request asks for: the number of step calls it takes part in
 * @param arrivedNanos when it reached the slot, on the scheduler's clock
 */
public record Queued<T>(T item, VideoSize size, int priority, int steps, long arrivedNanos) {
    public Queued {
        if (steps < 1) {
            throw new IllegalArgumentException("a request needs at least one denoising step, got " + steps);
        }
    }
}
