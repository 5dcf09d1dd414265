package io.cogflow.model.checkpoint;

import java.util.Arrays;
import java.util.List;

/**
 * One weight a model expects: its checkpoint name, its shape as PyTorch stores it, and how that layout maps to
 * the graph's. The list of specs of a model is the single source for loading, shape checks and parameter counts.
 *
 * @param alternativeNames other checkpoint names the same tensor may be stored under (e.g. a tied embedding that
 *                         some exports save under a second name); loading takes {@code name} when present, else
 *                         the first alternative present, and never reports an alternative as unexpected
 */
public record ParameterSpec(String name, long[] torchShape, TorchLayout layout, List<String> alternativeNames) {

    public ParameterSpec {
        alternativeNames = List.copyOf(alternativeNames);
        if (alternativeNames.contains(name)) {
            throw new IllegalArgumentException(name + " lists itself as an alternative name");
        }
    }

    public ParameterSpec(String name, long[] torchShape, TorchLayout layout) {
        this(name, torchShape, layout, List.of());
    }

    /** The same weight, also accepted under {@code alternative} in a checkpoint. */
    public ParameterSpec orAlternatively(String alternative) {
        List<String> names = new java.util.ArrayList<>(alternativeNames);
        names.add(alternative);
        return new ParameterSpec(name, torchShape, layout, names);
    }

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
                && layout == p.layout && alternativeNames.equals(p.alternativeNames);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(torchShape) + " (" + layout + ")"
                + (alternativeNames.isEmpty() ? "" : " or " + alternativeNames);
    }
}
