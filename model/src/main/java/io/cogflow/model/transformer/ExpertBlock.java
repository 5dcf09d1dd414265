package io.cogflow.model.transformer;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.Module;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

/**
 * {@code CogVideoXBlock}: expert adaptive LayerNorm (one LayerNorm, separate modulation for text and video),
 * joint attention and a joint feed-forward, each added back through a timestep-dependent gate.
 */
record ExpertBlock(LayerNormZero norm1, JointAttention attn1, LayerNormZero norm2, FeedForward ff)
        implements Module {

    ExpertBlock(String prefix, TransformerConfig c) {
        this(new LayerNormZero(prefix + ".norm1", c), new JointAttention(prefix + ".attn1", c),
                new LayerNormZero(prefix + ".norm2", c), new FeedForward(prefix + ".ff", c));
    }

    @Override
    public List<ParameterSpec> parameters() {
        return Module.parametersOf(norm1, attn1, norm2, ff);
    }

    /**
     * @param siluTemb SiLU of the timestep embedding [B, time_embed_dim], shared by all blocks
     * @param rotary   null, or the rotary tables with identity rows for the text tokens
     */
    JointStreams apply(Ops tf, ModelVariables w, AttentionBudget budget, JointStreams x, Operand<TFloat32> siluTemb,
                       PositionInput.Rotary rotary) {
        LayerNormZero.Modulated n1 = norm1.apply(tf, w, x, siluTemb);
        JointStreams attended = x.split(tf, attn1.apply(tf, w, budget, n1.normed().joined(tf), rotary));
        x = x.plusGated(tf, n1, attended);

        LayerNormZero.Modulated n2 = norm2.apply(tf, w, x, siluTemb);
        JointStreams fed = x.split(tf, ff.apply(tf, w, n2.normed().joined(tf)));
        return x.plusGated(tf, n2, fed);
    }
}
