package io.cogflow.simulator;

import io.cogflow.model.pipeline.VideoSize;

/**
 * One simulated request as it enters the service.
 *
 * @param id           its index in arrival order
 * @param arrivalNanos when it arrives, from the start of the run (simulated time)
 */
public record SimRequest(int id, long arrivalNanos, VideoSize size, int steps, int priority) {
    public SimRequest {
        if (arrivalNanos < 0 || steps < 1 || size == null) {
            throw new IllegalArgumentException("a request needs an arrival >= 0, a size and steps >= 1, got "
                    + arrivalNanos + ", " + size + ", " + steps);
        }
    }
}
