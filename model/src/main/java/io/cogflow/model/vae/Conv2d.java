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
 * {@code nn.Conv2d} (3×3, with bias) applied to every frame of a video, as the VAE's up- and downsamplers use it:
 * weight stored [out, in, 3, 3], permuted at load time to TensorFlow's [3, 3, in, out].
 */
record Conv2d(ParameterSpec weight, ParameterSpec bias, SpatialPadding padding, int stride) implements Module {

    private static final int KERNEL = 3;

    Conv2d(String prefix, long in, long out, SpatialPadding padding, int stride) {
        this(new ParameterSpec(prefix + ".weight", new long[]{out, in, KERNEL, KERNEL}, TorchLayout.CONV2D),
                ParameterSpec.vector(prefix + ".bias", out), padding, stride);
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(weight, bias);
    }

    /** (B, T, H, W, C) → (B, T, H', W', out), frame by frame. */
    Operand<TFloat32> apply(Ops tf, ModelVariables w, Operand<TFloat32> x) {
        return VideoOps.frameConv2d(tf, x, w.get(weight), w.get(bias), padding, stride);
    }
}
