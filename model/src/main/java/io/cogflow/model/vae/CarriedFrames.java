package io.cogflow.model.vae;

import io.cogflow.model.tensor.HostTensor;

import java.util.List;

/**
 * What one chunk of a chunked encode or decode hands to the next: the last input frames of every causal
 * convolution. A fresh instance starts a video; the same instance must then see that video's chunks in order.
 * Not thread-safe; one per video (or per tile).
 */
public final class CarriedFrames {
    private List<HostTensor> frames;
    private long[] inputShape;

    /** Whether a chunk has already run, so the next one resumes rather than starts. */
    public boolean started() {
        return frames != null;
    }

    /** Chunks of one video must agree on every axis but time. */
    void checkNext(long[] shape) {
        if (inputShape == null) {
            return;
        }
        for (int axis = 0; axis < shape.length; axis++) {
            if (axis != 2 && shape[axis] != inputShape[axis]) {
                throw new IllegalArgumentException("chunk " + java.util.Arrays.toString(shape)
                        + " does not continue a video of chunks " + java.util.Arrays.toString(inputShape)
                        + " (only the frame count may change)");
            }
        }
    }

    List<HostTensor> frames() {
        return frames;
    }

    void update(long[] shape, List<HostTensor> next) {
        inputShape = shape.clone();
        frames = next;
    }
}
