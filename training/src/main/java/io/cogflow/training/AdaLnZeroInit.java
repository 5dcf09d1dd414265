package io.cogflow.training;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.RandomWeights;

import java.util.function.Function;

/**
 * Initial transformer weights for training from scratch, the DiT "adaLN-Zero" scheme SAT also uses for
 * CogVideoX: the linears that produce the adaptive-norm modulations ({@code norm1/norm2.linear} of every block,
 * {@code norm_out.linear}) and the output projection {@code proj_out} start at zero, everything else at
 * N(0, 1/fan_in) with unit norm scales.
 *
 * <p>Why: zero gates make every block the identity and the zero projection makes the first prediction v̂ = 0,
 * so training starts from a well-conditioned network and learns each block's contribution, instead of
 * unrolling random residual branches whose scales are set by random modulations. With plain Gaussian weights the
 * demo recipe reached loss 0.073 after 2,000 steps and still generated fragmented objects.
 */
public final class AdaLnZeroInit {
    private AdaLnZeroInit() {
    }

    public static Function<ParameterSpec, float[]> of(long seed) {
        Function<ParameterSpec, float[]> gaussian = RandomWeights.gaussian(seed);
        return spec -> startsAtZero(spec.name()) ? new float[Math.toIntExact(spec.elementCount())]
                : gaussian.apply(spec);
    }

    static boolean startsAtZero(String name) {
        return name.matches("transformer_blocks\\.\\d+\\.norm[12]\\.linear\\.(weight|bias)")
                || name.startsWith("norm_out.linear.") || name.startsWith("proj_out.");
    }
}
