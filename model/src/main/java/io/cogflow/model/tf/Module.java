package io.cogflow.model.tf;

import io.cogflow.model.checkpoint.ParameterSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * A part of a model that owns weights, after DJL's {@code Block}: it declares each of its parameters once
 * (checkpoint name, PyTorch shape and layout) and builds its ops from the variables loaded for those same
 * declarations. Loading, shape checks, parameter counts and graph building therefore all read one list, and a
 * checkpoint name is written in one place only.
 */
public interface Module {

    /** Its weights, sub-modules' included, in the order the reference model registers them. */
    List<ParameterSpec> parameters();

    /**
     * The weights of {@code modules} in order: how a composite lists its parameters by walking its parts. A null
     * entry stands for an optional part the config leaves out, and contributes nothing.
     */
    static List<ParameterSpec> parametersOf(List<? extends Module> modules) {
        List<ParameterSpec> all = new ArrayList<>();
        for (Module m : modules) {
            if (m != null) {
                all.addAll(m.parameters());
            }
        }
        return List.copyOf(all);
    }

    /** As {@link #parametersOf(List)}, for a fixed set of parts (some possibly null). */
    static List<ParameterSpec> parametersOf(Module... modules) {
        return parametersOf(java.util.Arrays.asList(modules));
    }

    /** Number of weights: what a model card calls its parameter count. */
    static long count(List<ParameterSpec> specs) {
        return specs.stream().mapToLong(ParameterSpec::elementCount).sum();
    }
}
