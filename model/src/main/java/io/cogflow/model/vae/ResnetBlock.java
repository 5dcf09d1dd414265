package io.cogflow.model.vae;

import io.cogflow.model.tf.ModelVariables;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.function.BiFunction;

/**
 * {@code CogVideoXResnetBlock3D} without a time embedding (the VAE never passes one): norm → SiLU → causal conv,
 * twice, plus the input (through a 1×1×1 conv when the width changes).
 */
final class ResnetBlock {
    private ResnetBlock() {
    }

    /**
     * @param norm applies the block's norm named by its prefix ({@code …norm1} / {@code …norm2}) to a tensor:
     *             GroupNorm in the encoder, the latent-conditioned spatial norm in the decoder
     */
    static Operand<TFloat32> apply(Ops tf, ModelVariables w, String prefix, Operand<TFloat32> x,
                                   BiFunction<String, Operand<TFloat32>, Operand<TFloat32>> norm,
                                   CausalConvChain convs) {
        Operand<TFloat32> h = VideoOps.silu(tf, norm.apply(prefix + ".norm1", x));
        h = convs.apply(h, w.get(prefix + ".conv1.conv.weight"), w.get(prefix + ".conv1.conv.bias"));
        h = VideoOps.silu(tf, norm.apply(prefix + ".norm2", h));
        h = convs.apply(h, w.get(prefix + ".conv2.conv.weight"), w.get(prefix + ".conv2.conv.bias"));
        Operand<TFloat32> shortcut = x;
        if (w.has(prefix + ".conv_shortcut.weight")) {
            shortcut = VideoOps.pointwise(tf, x, w.get(prefix + ".conv_shortcut.weight"),
                    w.get(prefix + ".conv_shortcut.bias"));
        }
        return tf.math.add(h, shortcut);
    }
}
