package io.cogflow.model.vae;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.checkpoint.TorchLayout;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.Module;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

/**
 * {@code nn.Conv3d} with a cubic kernel and a bias: weight stored [out, in, k, k, k], permuted at load time to
 * the [k, k, k, in, out] kernel TensorFlow's channels-last Conv3D takes. How it pads is its caller's: the VAE's
 * causal convs pad time from carried frames ({@link CausalConvChain}).
 */
record Conv3d(ParameterSpec weight, ParameterSpec bias, int kernel) implements Module {

    Conv3d(String prefix, long in, long out, int kernel) {
        this(new ParameterSpec(prefix + ".weight", new long[]{out, in, kernel, kernel, kernel}, TorchLayout.CONV3D),
                ParameterSpec.vector(prefix + ".bias", out), kernel);
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(weight, bias);
    }

    /** A VALID, stride-1 convolution of a (B, T, H, W, C) input already padded as the caller needs. */
    Operand<TFloat32> apply(Ops tf, ModelVariables w, Operand<TFloat32> padded) {
        return VideoOps.conv3d(tf, padded, w.get(weight), w.get(bias));
    }

    /** A 1×1×1 kernel as the channel matmul it is (much cheaper than Conv3D). */
    Operand<TFloat32> pointwise(Ops tf, ModelVariables w, Operand<TFloat32> x) {
        if (kernel != 1) {
            throw new IllegalStateException(weight.name() + " has a " + kernel + "³ kernel, not a pointwise one");
        }
        return VideoOps.pointwise(tf, x, w.get(weight), w.get(bias));
    }
}
