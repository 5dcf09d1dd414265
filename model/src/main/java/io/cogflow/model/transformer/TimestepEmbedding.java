package io.cogflow.model.transformer;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.Layers;
import io.cogflow.model.tf.Linear;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.Module;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

/** diffusers' {@code TimestepEmbedding}: Linear → SiLU → Linear on a sinusoid of the timestep. */
record TimestepEmbedding(Linear linear1, Linear linear2) implements Module {

    TimestepEmbedding(String prefix, long in, long out) {
        this(new Linear(prefix + ".linear_1", in, out, true), new Linear(prefix + ".linear_2", out, out, true));
    }

    @Override
    public List<ParameterSpec> parameters() {
        return Module.parametersOf(linear1, linear2);
    }

    Operand<TFloat32> apply(Ops tf, ModelVariables w, Operand<TFloat32> sinusoid) {
        return linear2.apply(tf, w, Layers.silu(tf, linear1.apply(tf, w, sinusoid)));
    }
}
