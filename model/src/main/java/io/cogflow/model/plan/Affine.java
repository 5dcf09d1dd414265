package io.cogflow.model.plan;

/**
 * A quantity of the form {@code fixed + perSample × batch}. Every shape in a denoise graph is either independent
 * of the batch or proportional to it (attention chunks are planned per sample), so sizes and FLOPs measured at two
 * batch sizes give their value at any batch exactly.
 */
record Affine(double fixed, double perSample) {
    /** The affine function through the values at batch 1 and batch 2. */
    static Affine through(double atOne, double atTwo) {
        return new Affine(2 * atOne - atTwo, atTwo - atOne);
    }

    double at(long batch) {
        return fixed + perSample * batch;
    }
}
