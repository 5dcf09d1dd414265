package io.cogflow.model.testing;

import io.cogflow.model.tensor.HostTensor;

import java.util.Random;

/** Random inputs for model tests, shared by the model's own tests and the parity tests. */
public final class RandomTensors {
    private RandomTensors() {
    }

    /** Standard normal values of the given shape, drawn in order from {@code r}. */
    public static HostTensor gaussian(Random r, long... shape) {
        HostTensor t = HostTensor.zeros(shape);
        for (int i = 0; i < t.data().length; i++) {
            t.data()[i] = (float) r.nextGaussian();
        }
        return t;
    }
}
