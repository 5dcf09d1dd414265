package io.cogflow.model.plan;

/**
 * A quantity of the form {@code fixed + perSample × batch}. Every shape in a denoise graph is either independent
 * of the batch or proportional to it (attention chunks are planned per sample), so sizes and FLOPs measured at two
 * batch sizes give their value at any batch exactly.
 */
record Affine(double fixed, double perSample) {
    static final Affine ZERO = new Affine(0, 0);

    /** The affine function through the values at batch 1 and batch 2. */
    static Affine through(double atOne, double atTwo) {
        return new Affine(2 * atOne - atTwo, atTwo - atOne);
    }

    double at(long batch) {
        return fixed + perSample * batch;
    }

    Affine plus(Affine o) {
        return new Affine(fixed + o.fixed, perSample + o.perSample);
    }

    Affine times(double f) {
        return new Affine(fixed * f, perSample * f);
    }
}
