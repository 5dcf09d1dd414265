package io.cogflow.model.transformer;

import io.cogflow.model.tf.Layers;
import io.cogflow.model.tf.ModelVariables;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

/**
 * {@code CogVideoXBlock}: expert adaptive LayerNorm (one LayerNorm, separate modulation for text and video),
 * joint attention and a joint feed-forward, each added back through a timestep-dependent gate.
 */
final class ExpertBlock {
    private final TransformerConfig config;
    private final ModelVariables w;
    private final JointAttention attention;

    ExpertBlock(TransformerConfig config, ModelVariables w, AttentionBudget budget) {
        this.config = config;
        this.w = w;
        this.attention = new JointAttention(config, w, budget);
    }

    /**
     * @param text      [B, T, D]
     * @param video     [B, V, D]
     * @param siluTemb  SiLU of the timestep embedding [B, time_embed_dim], shared by all blocks
     * @return {text, video} after the block
     */
    List<Operand<TFloat32>> apply(Ops tf, int index, Operand<TFloat32> text, Operand<TFloat32> video,
                                  Operand<TFloat32> siluTemb, Operand<TFloat32>[] rotary) {
        String p = "transformer_blocks." + index + ".";
        long textLen = text.shape().size(1);
        long videoLen = video.shape().size(1);

        Modulated n1 = expertNorm(tf, p + "norm1", text, video, siluTemb);
        Operand<TFloat32> joint = tf.concat(List.of(n1.text, n1.video), tf.constant(1));
        List<Operand<TFloat32>> attn = Layers.split(tf, attention.apply(tf, p + "attn1.", joint, rotary), 1,
                textLen, videoLen);
        text = tf.math.add(text, tf.math.mul(n1.textGate, attn.get(0)));
        video = tf.math.add(video, tf.math.mul(n1.gate, attn.get(1)));

        Modulated n2 = expertNorm(tf, p + "norm2", text, video, siluTemb);
        joint = tf.concat(List.of(n2.text, n2.video), tf.constant(1));
        List<Operand<TFloat32>> ff = Layers.split(tf, feedForward(tf, p + "ff.net.", joint), 1, textLen, videoLen);
        text = tf.math.add(text, tf.math.mul(n2.textGate, ff.get(0)));
        video = tf.math.add(video, tf.math.mul(n2.gate, ff.get(1)));
        return List.of(text, video);
    }

    private record Modulated(Operand<TFloat32> text, Operand<TFloat32> video, Operand<TFloat32> gate,
                             Operand<TFloat32> textGate) {
    }

    /** {@code CogVideoXLayerNormZero}: chunks shift, scale, gate, enc_shift, enc_scale, enc_gate. */
    private Modulated expertNorm(Ops tf, String name, Operand<TFloat32> text, Operand<TFloat32> video,
                                 Operand<TFloat32> siluTemb) {
        Operand<TFloat32> m = Layers.linear(tf, siluTemb, w.get(name + ".linear.weight"),
                w.get(name + ".linear.bias"));
        m = tf.reshape(m, tf.constant(new long[]{-1, 1, 6L * config.innerDim()}));
        List<Operand<TFloat32>> c = Layers.chunk(tf, m, 2, 6);
        Operand<TFloat32> weight = config.normElementwiseAffine() ? w.get(name + ".norm.weight") : null;
        Operand<TFloat32> bias = config.normElementwiseAffine() ? w.get(name + ".norm.bias") : null;
        Operand<TFloat32> v = Layers.modulate(tf, Layers.layerNorm(tf, video, weight, bias, config.normEps()),
                c.get(0), c.get(1));
        Operand<TFloat32> s = Layers.modulate(tf, Layers.layerNorm(tf, text, weight, bias, config.normEps()),
                c.get(3), c.get(4));
        return new Modulated(s, v, c.get(2), c.get(5));
    }

    private Operand<TFloat32> feedForward(Ops tf, String p, Operand<TFloat32> x) {
        Operand<TFloat32> h = Layers.linear(tf, x, w.get(p + "0.proj.weight"), w.get(p + "0.proj.bias"));
        h = Layers.gelu(tf, h, config.activationFn().equals("gelu-approximate"));
        return Layers.linear(tf, h, w.get(p + "2.weight"), w.get(p + "2.bias"));
    }
}
