package io.cogflow.model.vae;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.Module;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;
import java.util.function.BiFunction;

/**
 * {@code CogVideoXResnetBlock3D} without a time embedding (the VAE never passes one): norm → SiLU → causal conv,
 * twice, plus the input (through a 1×1×1 conv when the width changes). The norm type is a parameter because the
 * encoder uses GroupNorm and the decoder the latent-conditioned {@link SpatialNorm3D}.
 *
 * @param shortcut null when the width does not change
 */
record ResnetBlock<N extends Module>(N norm1, Conv3d conv1, N norm2, Conv3d conv2, Conv3d shortcut)
        implements Module {

    /** The encoder's block, with GroupNorms. */
    static ResnetBlock<GroupNorm> plain(String prefix, int in, int out, VaeConfig c) {
        return of(prefix, in, out, (name, channels) -> new GroupNorm(name, channels, c.normNumGroups(), c.normEps()));
    }

    /** The decoder's block, with norms conditioned on {@code zqChannels} latent channels. */
    static ResnetBlock<SpatialNorm3D> spatial(String prefix, int in, int out, VaeConfig c) {
        return of(prefix, in, out, (name, channels) -> new SpatialNorm3D(name, channels, c.latentChannels(),
                c.normNumGroups()));
    }

    private static <N extends Module> ResnetBlock<N> of(String prefix, int in, int out,
                                                        BiFunction<String, Integer, N> norm) {
        return new ResnetBlock<>(norm.apply(prefix + ".norm1", in), new Conv3d(prefix + ".conv1.conv", in, out, 3),
                norm.apply(prefix + ".norm2", out), new Conv3d(prefix + ".conv2.conv", out, out, 3),
                in == out ? null : new Conv3d(prefix + ".conv_shortcut", in, out, 1));
    }

    @Override
    public List<ParameterSpec> parameters() {
        return Module.parametersOf(norm1, conv1, norm2, conv2, shortcut);
    }

    /** @param norm applies one of this block's norms to a tensor */
    Operand<TFloat32> apply(Ops tf, ModelVariables w, Operand<TFloat32> x,
                            BiFunction<N, Operand<TFloat32>, Operand<TFloat32>> norm, CausalConvChain convs) {
        Operand<TFloat32> h = VideoOps.silu(tf, norm.apply(norm1, x));
        h = convs.apply(h, w, conv1);
        h = VideoOps.silu(tf, norm.apply(norm2, h));
        h = convs.apply(h, w, conv2);
        Operand<TFloat32> residual = shortcut == null ? x : shortcut.pointwise(tf, w, x);
        return tf.math.add(h, residual);
    }
}
