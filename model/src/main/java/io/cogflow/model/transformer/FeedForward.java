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

/** diffusers' {@code FeedForward} with a GELU projection: Linear(D → 4D) → GELU → Linear(4D → D). */
record FeedForward(Linear proj, Linear out, boolean tanhGelu) implements Module {

    FeedForward(String prefix, TransformerConfig c) {
        this(new Linear(prefix + ".net.0.proj", c.innerDim(), 4L * c.innerDim(), true),
                new Linear(prefix + ".net.2", 4L * c.innerDim(), c.innerDim(), true),
                c.activationFn().equals("gelu-approximate"));
    }

    @Override
    public List<ParameterSpec> parameters() {
        return Module.parametersOf(proj, out);
    }

    Operand<TFloat32> apply(Ops tf, ModelVariables w, Operand<TFloat32> x) {
        return out.apply(tf, w, Layers.gelu(tf, proj.apply(tf, w, x), tanhGelu));
    }
}
