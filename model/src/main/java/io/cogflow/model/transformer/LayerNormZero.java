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

/**
 * {@code CogVideoXLayerNormZero}, the expert adaptive norm: one LayerNorm for both streams, and a linear of the
 * timestep embedding giving separate shift, scale and gate for video and for text.
 */
record LayerNormZero(Linear linear, LayerNorm norm) implements Module {

    /**
     * Both streams normalised and modulated, with the gates that scale what the block adds back to each.
     */
    record Modulated(JointStreams normed, Operand<TFloat32> textGate, Operand<TFloat32> videoGate) {
    }

    LayerNormZero(String prefix, TransformerConfig c) {
        this(new Linear(prefix + ".linear", c.timeEmbedDim(), 6L * c.innerDim(), true),
                new LayerNorm(prefix + ".norm", c.innerDim(), c.normElementwiseAffine(), c.normEps()));
    }

    @Override
    public List<ParameterSpec> parameters() {
        return Module.parametersOf(linear, norm);
    }

    /** Chunks the modulation into shift, scale, gate, enc_shift, enc_scale, enc_gate. */
    Modulated apply(Ops tf, ModelVariables w, JointStreams x, Operand<TFloat32> siluTemb) {
        Operand<TFloat32> m = linear.apply(tf, w, siluTemb);
        m = tf.reshape(m, tf.constant(new long[]{-1, 1, linear.weight().torchShape()[0]}));
        List<Operand<TFloat32>> c = Layers.chunk(tf, m, 2, 6);
        Operand<TFloat32> v = Layers.modulate(tf, norm.apply(tf, w, x.video()), c.get(0), c.get(1));
        Operand<TFloat32> s = Layers.modulate(tf, norm.apply(tf, w, x.text()), c.get(3), c.get(4));
        return new Modulated(new JointStreams(s, v), c.get(5), c.get(2));
    }
}
