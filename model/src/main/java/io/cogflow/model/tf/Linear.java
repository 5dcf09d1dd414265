package io.cogflow.model.tf;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.checkpoint.TorchLayout;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

/**
 * {@code nn.Linear}: {@code prefix.weight} stored [out, in] (transposed to [in, out] at load time so the graph
 * computes {@code x · W}) and, optionally, {@code prefix.bias} [out].
 *
 * @param bias null for a bias-free linear
 */
public record Linear(ParameterSpec weight, ParameterSpec bias) implements Module {

    public Linear(String prefix, long in, long out, boolean bias) {
        this(ParameterSpec.linearWeight(prefix + ".weight", out, in),
                bias ? ParameterSpec.vector(prefix + ".bias", out) : null);
    }

    /**
     * A {@code Conv2d} whose stride equals its kernel (a patch embedding): weight [out, in, p, p], which is a
     * linear map of patches flattened in (channel, row, column) order.
     */
    public static Linear patchConv(String prefix, long inChannels, long patch, long out, boolean bias) {
        return new Linear(new ParameterSpec(prefix + ".weight", new long[]{out, inChannels, patch, patch},
                TorchLayout.PATCH_CONV_AS_LINEAR), bias ? ParameterSpec.vector(prefix + ".bias", out) : null);
    }

    @Override
    public List<ParameterSpec> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    /** Applies the linear to the last axis of {@code x}. */
    public Operand<TFloat32> apply(Ops tf, ModelVariables w, Operand<TFloat32> x) {
        return Layers.linear(tf, x, w.get(weight), bias == null ? null : w.get(bias));
    }
}
