package io.cogflow.model.tf;

import io.cogflow.model.checkpoint.ParameterSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

/**
 * {@code nn.LayerNorm} over the last axis. Its eps belongs to the layer because the reference builds norms of the
 * same model with different ones (CogVideoX's q/k norms use 1e-6 whatever the config says).
 *
 * @param weight null without {@code elementwise_affine}, and then so is {@code bias}
 */
public record LayerNorm(ParameterSpec weight, ParameterSpec bias, double eps) implements Module {

    public LayerNorm(String prefix, long dim, boolean affine, double eps) {
        this(affine ? ParameterSpec.vector(prefix + ".weight", dim) : null,
                affine ? ParameterSpec.vector(prefix + ".bias", dim) : null, eps);
    }

    @Override
    public List<ParameterSpec> parameters() {
        return weight == null ? List.of() : List.of(weight, bias);
    }

    public Operand<TFloat32> apply(Ops tf, ModelVariables w, Operand<TFloat32> x) {
        return Layers.layerNorm(tf, x, weight == null ? null : w.get(weight), bias == null ? null : w.get(bias),
                eps);
    }
}
