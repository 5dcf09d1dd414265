package io.cogflow.model.vae;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.Module;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

/**
 * {@code nn.GroupNorm} with affine weight and bias over channels-last video. Groups and eps belong to the layer
 * because diffusers fixes eps 1e-6 for some of the VAE's norms whatever the config's norm_eps.
 */
record GroupNorm(ParameterSpec weight, ParameterSpec bias, int groups, double eps) implements Module {

    GroupNorm(String prefix, long channels, int groups, double eps) {
        this(ParameterSpec.vector(prefix + ".weight", channels), ParameterSpec.vector(prefix + ".bias", channels),
                groups, eps);
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(weight, bias);
    }

    Operand<TFloat32> apply(Ops tf, ModelVariables w, Operand<TFloat32> x) {
        return VideoOps.groupNorm(tf, x, groups, w.get(weight), w.get(bias), eps);
    }
}
