package io.cogflow.model.transformer;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.Layers;
import io.cogflow.model.tf.LayerNorm;
import io.cogflow.model.tf.Linear;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.Module;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

/** diffusers' {@code AdaLayerNorm} before the output projection: LayerNorm, then shift and scale from the timestep. */
record AdaLayerNorm(Linear linear, LayerNorm norm) implements Module {

    AdaLayerNorm(String prefix, TransformerConfig c) {
        this(new Linear(prefix + ".linear", c.timeEmbedDim(), 2L * c.innerDim(), true),
                new LayerNorm(prefix + ".norm", c.innerDim(), c.normElementwiseAffine(), c.normEps()));
    }

    @Override
    public List<ParameterSpec> parameters() {
        return Module.parametersOf(linear, norm);
    }

    Operand<TFloat32> apply(Ops tf, ModelVariables w, Operand<TFloat32> x, Operand<TFloat32> siluTemb) {
        Operand<TFloat32> m = linear.apply(tf, w, siluTemb);
        m = tf.reshape(m, tf.constant(new long[]{-1, 1, linear.weight().torchShape()[0]}));
        List<Operand<TFloat32>> shiftScale = Layers.chunk(tf, m, 2, 2);
        return Layers.modulate(tf, norm.apply(tf, w, x), shiftScale.get(0), shiftScale.get(1));
    }
}
