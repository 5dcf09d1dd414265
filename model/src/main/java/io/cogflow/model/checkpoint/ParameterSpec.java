package io.cogflow.model.checkpoint;

import java.util.Arrays;

/**
 * One weight a model expects: its checkpoint name, its shape as PyTorch stores it, and how that layout maps to
 * the graph's. The list of specs of a model is the single source for loading, shape checks and parameter counts.
 */
public record ParameterSpec(String name, long[] torchShape, TorchLayout layout) {

    public static ParameterSpec linearWeight(String name, long out, long in) {
        return new ParameterSpec(name, new long[]{out, in}, TorchLayout.LINEAR);
    }

    public static ParameterSpec vector(String name, long size) {
        return new ParameterSpec(name, new long[]{size}, TorchLayout.AS_IS);
    }

    public long[] tfShape() {
        return layout.tfShape(torchShape);
    }

    public long elementCount() {
        long n = 1;
        for (long d : torchShape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSpec p && name.equals(p.name) && Arrays.equals(torchShape, p.torchShape)
                && layout == p.layout;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(torchShape) + " (" + layout + ")";
    }
}
