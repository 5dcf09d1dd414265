package io.cogflow.model.t5;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.Layers;
import io.cogflow.model.tf.Linear;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.Module;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

/**
 * A block's {@code layer.1} ({@code T5LayerFF}): pre-norm, then {@code wo(act(wi_0·x) ⊙ wi_1·x)} for gated
 * configs (v1.1) or {@code wo(act(wi·x))}.
 *
 * @param wi   {@code wi_0} when gated, else {@code wi}
 * @param gate {@code wi_1}; null unless gated
 */
record T5FeedForward(Linear wi, Linear gate, Linear wo, RmsNorm layerNorm, T5Config.Activation activation)
        implements Module {

    /** @param prefix the sub-layer's name, {@code encoder.block.i.layer.1} */
    static T5FeedForward of(String prefix, T5Config c) {
        String f = prefix + ".DenseReluDense";
        long d = c.dModel();
        return new T5FeedForward(new Linear(f + (c.gatedAct() ? ".wi_0" : ".wi"), d, c.dFf(), false),
                c.gatedAct() ? new Linear(f + ".wi_1", d, c.dFf(), false) : null,
                new Linear(f + ".wo", c.dFf(), d, false),
                new RmsNorm(prefix + ".layer_norm", d, c.layerNormEpsilon()), c.activation());
    }

    @Override
    public List<ParameterSpec> parameters() {
        return Module.parametersOf(wi, gate, wo, layerNorm);
    }

    /** The update the sub-layer adds to {@code x}. */
    Operand<TFloat32> apply(Ops tf, ModelVariables w, Operand<TFloat32> x) {
        Operand<TFloat32> normed = layerNorm.apply(tf.withSubScope("layer_norm"), w, x);
        Operand<TFloat32> hidden = activate(tf, wi.apply(tf, w, normed));
        if (gate != null) {
            hidden = tf.math.mul(hidden, gate.apply(tf, w, normed));
        }
        return wo.apply(tf, w, hidden);
    }

    private Operand<TFloat32> activate(Ops tf, Operand<TFloat32> x) {
        return switch (activation) {
            case GELU_TANH -> Layers.gelu(tf, x, true);
            case GELU -> Layers.gelu(tf, x, false);
            case RELU -> tf.nn.relu(x);
            case SILU -> Layers.silu(tf, x);
        };
    }
}
