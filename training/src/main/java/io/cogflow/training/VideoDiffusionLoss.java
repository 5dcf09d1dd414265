package io.cogflow.training;

import io.cogflow.model.sampling.ForwardDiffusion;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * SAT's {@code VideoDiffusionLoss} as a graph piece: the per-sample mean squared error between the predicted
 * and the target velocity, and its batch mean (the scalar the optimiser minimises).
 *
 * <p>Noise is not added here. The caller noises x0 in Java with {@link ForwardDiffusion} and feeds both the
 * noised latents x_t = √ᾱ·x0 + √(1−ᾱ)·ε and the target v = √ᾱ·ε − √(1−ᾱ)·x0. That keeps the random draw and
 * the ᾱ table (float64, shared with the samplers) out of the graph, and makes the loss an unweighted MSE on v,
 * which equals SAT's x̂0 loss weighted by 1/(1−ᾱ) (see {@link ForwardDiffusion}).
 *
 * @param perSample mean over all non-batch elements of (v̂ − v)², shape [B]
 * @param mean      mean of {@code perSample} over the batch, a scalar
 */
public record VideoDiffusionLoss(Operand<TFloat32> perSample, Operand<TFloat32> mean) {

    /** @param predicted and {@code target} have the same shape [B, ...] */
    public static VideoDiffusionLoss build(Ops tf, Operand<TFloat32> predicted, Operand<TFloat32> target) {
        Ops scope = tf.withSubScope("loss");
        Operand<TFloat32> sq = scope.math.squaredDifference(predicted, target);
        // flatten to [B, N] so the per-sample mean does not depend on the rank of the latents
        Operand<TFloat32> flat = scope.reshape(sq, scope.constant(new long[]{-1, elementsPerSample(predicted)}));
        Operand<TFloat32> perSample = scope.withName("per_sample").math.mean(flat, scope.constant(1));
        Operand<TFloat32> mean = scope.withName("mean").math.mean(perSample, scope.constant(0));
        return new VideoDiffusionLoss(perSample, mean);
    }

    private static long elementsPerSample(Operand<TFloat32> x) {
        long[] s = x.shape().asArray();
        long n = 1;
        for (int i = 1; i < s.length; i++) {
            if (s[i] < 0) {
                throw new IllegalArgumentException("only the batch axis may be unknown, got shape " + x.shape());
            }
            n *= s[i];
        }
        return n;
    }
}
