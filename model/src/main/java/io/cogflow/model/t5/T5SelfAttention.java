package io.cogflow.model.t5;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.Embedding;
import io.cogflow.model.tf.Linear;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.Module;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.List;

/**
 * A block's {@code layer.0} ({@code T5LayerSelfAttention}): pre-norm, bias-free q/k/v/o projections, and in
 * block 0 only the relative-position bias table [buckets, heads] that all blocks use.
 *
 * @param relativeBias null except in block 0
 */
record T5SelfAttention(Linear q, Linear k, Linear v, Linear o, Embedding relativeBias, RmsNorm layerNorm,
                       int heads, int dKv) implements Module {

    /** @param prefix the sub-layer's name, {@code encoder.block.i.layer.0} */
    static T5SelfAttention of(String prefix, T5Config c, boolean hasRelativeBias) {
        String a = prefix + ".SelfAttention";
        long d = c.dModel();
        long inner = c.innerDim();
        // T5 has no biases anywhere
        return new T5SelfAttention(new Linear(a + ".q", d, inner, false), new Linear(a + ".k", d, inner, false),
                new Linear(a + ".v", d, inner, false), new Linear(a + ".o", inner, d, false),
                hasRelativeBias ? new Embedding(relativeBiasPrefix(prefix), c.relativeAttentionNumBuckets(),
                        c.numHeads()) : null,
                new RmsNorm(prefix + ".layer_norm", d, c.layerNormEpsilon()), c.numHeads(), c.dKv());
    }

    /** The relative-position bias table's module in the sub-layer at {@code prefix}. */
    static String relativeBiasPrefix(String prefix) {
        return prefix + ".SelfAttention.relative_attention_bias";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return Module.parametersOf(q, k, v, o, relativeBias, layerNorm);
    }

    /** Bias [1, heads, L, L]: the table gathered at the [L, L] bucket indices, heads first. */
    Operand<TFloat32> positionBias(Ops tf, ModelVariables w, Operand<TInt32> buckets, long len) {
        Operand<TFloat32> perPair = relativeBias.apply(tf, w, buckets);
        Operand<TFloat32> headsFirst = tf.linalg.transpose(perPair, tf.constant(new int[]{2, 0, 1}));
        return tf.reshape(headsFirst, tf.constant(new long[]{1, heads, len, len}));
    }

    /** The update the sub-layer adds to {@code x} [B, L, d_model]. */
    Operand<TFloat32> apply(Ops tf, ModelVariables w, Operand<TFloat32> x, Operand<TFloat32> bias, long len) {
        Operand<TFloat32> normed = layerNorm.apply(tf.withSubScope("layer_norm"), w, x);
        Operand<TFloat32> qh = heads(tf, q.apply(tf, w, normed), len);
        Operand<TFloat32> kh = heads(tf, k.apply(tf, w, normed), len);
        Operand<TFloat32> vh = heads(tf, v.apply(tf, w, normed), len);
        // T5 folds the 1/√d scale into its initialisation: logits are plain q·kᵀ
        Operand<TFloat32> scores = tf.train.batchMatMul(qh, kh, TFloat32.class, BatchMatMul.adjY(true));
        Operand<TFloat32> probs = tf.nn.softmax(tf.math.add(scores, bias));
        Operand<TFloat32> context = tf.train.batchMatMul(probs, vh, TFloat32.class);
        Operand<TFloat32> merged = tf.reshape(tf.linalg.transpose(context, tf.constant(new int[]{0, 2, 1, 3})),
                tf.constant(new long[]{-1, len, (long) heads * dKv}));
        return o.apply(tf, w, merged);
    }

    /** [B, L, heads·d_kv] → [B, heads, L, d_kv]. */
    private Operand<TFloat32> heads(Ops tf, Operand<TFloat32> x, long len) {
        Operand<TFloat32> split = tf.reshape(x, tf.constant(new long[]{-1, len, heads, dKv}));
        return tf.linalg.transpose(split, tf.constant(new int[]{0, 2, 1, 3}));
    }
}
