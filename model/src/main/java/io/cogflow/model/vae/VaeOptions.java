package io.cogflow.model.vae;

import io.cogflow.model.tf.SessionOptions;

/**
 * How a {@link CogVideoXVae} runs.
 *
 * @param tiling     spatial tiling for large frames, or {@code null} for none (exact reference output)
 * @param sliceBatch process batch items one at a time (diffusers' {@code enable_slicing()}): same output,
 *                   memory of one item
 */
public record VaeOptions(SessionOptions session, VaeTiling tiling, boolean sliceBatch) {

    public static VaeOptions defaults() {
        return new VaeOptions(SessionOptions.defaults(), null, false);
    }

    public VaeOptions withTiling(VaeTiling t) {
        return new VaeOptions(session, t, sliceBatch);
    }

    public VaeOptions withSliceBatch(boolean slice) {
        return new VaeOptions(session, tiling, slice);
    }
}
