package io.cogflow.model.vae;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.Module;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

/**
 * {@code CogVideoXSpatialNorm3D}, the decoder's norm conditioned on the latents: GroupNorm(f)·conv_y(zq) +
 * conv_b(zq), zq the chunk's latents resized to f (the caller resizes them, as it caches that per size).
 */
record SpatialNorm3D(GroupNorm norm, Conv3d convY, Conv3d convB) implements Module {

    /** Its GroupNorm's eps is fixed in diffusers, whatever the config's norm_eps. */
    private static final double EPS = 1e-6;

    SpatialNorm3D(String prefix, long channels, long zqChannels, int groups) {
        this(new GroupNorm(prefix + ".norm_layer", channels, groups, EPS),
                new Conv3d(prefix + ".conv_y.conv", zqChannels, channels, 1),
                new Conv3d(prefix + ".conv_b.conv", zqChannels, channels, 1));
    }

    @Override
    public List<ParameterSpec> parameters() {
        return Module.parametersOf(norm, convY, convB);
    }

    /** @param zq the latents resized (nearest) to {@code f}'s frames and size */
    Operand<TFloat32> apply(Ops tf, ModelVariables w, Operand<TFloat32> f, Operand<TFloat32> zq) {
        // y and b depend on the latents only, so without this edge TensorFlow computes every norm's y and b (each
        // the size of the activation) as soon as a chunk starts and holds them all until their norm runs: ~70
        // activation-sized tensors at once, over 16 GiB for a 480x720 chunk. After f they live only for this norm.
        Ops afterF = tf.withControlDependencies(List.of(tf.identity(f)));
        Operand<TFloat32> y = convY.pointwise(afterF, w, zq);
        Operand<TFloat32> b = convB.pointwise(afterF, w, zq);
        return tf.math.add(tf.math.mul(norm.apply(tf, w, f), y), b);
    }
}
