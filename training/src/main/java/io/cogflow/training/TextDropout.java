package io.cogflow.training;

import io.cogflow.model.random.SplitMix64;

/**
 * Which samples of a batch train unconditionally, for classifier-free guidance: each sample's text is dropped
 * independently with probability p (SAT {@code ucg_rate} 0.1), so one model learns both v(x, t, text) and
 * v(x, t, ∅) and inference can extrapolate between them.
 *
 * <p>This class only decides <i>which</i> samples are dropped. What replaces their text is the caller's
 * choice, to be made configurable with the training loop: SAT multiplies the T5 output by 0 (an all-zero
 * [226, 4096] embedding, and its sampler uses zeros too), whereas diffusers' pipelines use T5("") — a model
 * should be trained with the unconditional input it will be sampled with.
 *
 * <p>Deterministic per seed (SplitMix64), so a resumed run can replay its masks.
 */
public final class TextDropout {
    private final double p;
    private final SplitMix64 random;

    public TextDropout(double p, long seed) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + p);
        }
        this.p = p;
        this.random = new SplitMix64(SplitMix64.mix(seed));
    }

    /** true = drop this sample's text (train it unconditionally). */
    public boolean[] drop(int batch) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be non-negative, got " + batch);
        }
        boolean[] out = new boolean[batch];
        for (int i = 0; i < batch; i++) {
            out[i] = random.nextDouble() < p;
        }
        return out;
    }

    public double probability() {
        return p;
    }
}
