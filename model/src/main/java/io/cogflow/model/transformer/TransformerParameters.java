package io.cogflow.model.transformer;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.Module;

import java.util.List;

/**
 * Every weight of {@code CogVideoXTransformer3DModel} for a config, with diffusers checkpoint names and shapes:
 * read off the layers the graph is built from, so the list and the graph cannot disagree.
 */
public final class TransformerParameters {
    private TransformerParameters() {
    }

    public static List<ParameterSpec> specs(TransformerConfig c) {
        return CogVideoXTransformer.of(c).parameters();
    }

    /** Number of weights, from the config alone. */
    public static long count(TransformerConfig c) {
        return Module.count(specs(c));
    }
}
