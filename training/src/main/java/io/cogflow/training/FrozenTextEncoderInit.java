package io.cogflow.training;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.t5.T5Parameters;
import io.cogflow.model.tf.RandomWeights;

import java.util.function.Function;

/**
 * Seeded weights for the frozen text encoder of a model trained from scratch: token embeddings N(0, 1), as
 * transformers initialises T5's {@code shared}, and the residual branches' output projections (attention
 * {@code o}, feed-forward {@code wo}) scaled by {@code contextScale}; everything else N(0, 1/fan_in).
 *
 * <p>Why: a frozen encoder must hand the transformer features it can take apart word by word, or held-out
 * colour–shape–motion combinations cannot be composed from seen ones. With fan-in-scaled embeddings (std 0.09)
 * against residual branches of std ~1, every position of the output is mostly context: swapping "left" for "right"
 * changed the feature of the unchanged word "red" by 105 % of its norm, so each caption became a random code the
 * transformer could only memorise. With unit embeddings and context scaled to 0.25 each position stays mostly its
 * own word plus some context (docs/training.md has the measurements).
 */
public final class FrozenTextEncoderInit {
    private FrozenTextEncoderInit() {
    }

    public static Function<ParameterSpec, float[]> of(long seed, double contextScale) {
        if (!(contextScale >= 0)) {
            throw new IllegalArgumentException("context scale must be >= 0, got " + contextScale);
        }
        Function<ParameterSpec, float[]> gaussian = RandomWeights.gaussian(seed);
        return spec -> {
            float[] v = gaussian.apply(spec);
            double scale = 1;
            if (spec.name().equals(T5Parameters.EMBEDDING)) {
                scale = Math.sqrt(spec.tfShape()[0]); // undo 1/sqrt(fan_in): the vocabulary is the fan-in here
            } else if (isBranchOutput(spec.name())) {
                scale = contextScale;
            }
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] * scale);
            }
            return v;
        };
    }

    static boolean isBranchOutput(String name) {
        return name.endsWith(".SelfAttention.o.weight") || name.endsWith(".DenseReluDense.wo.weight");
    }
}
