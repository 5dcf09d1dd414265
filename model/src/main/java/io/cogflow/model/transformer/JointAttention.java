package io.cogflow.model.transformer;

import io.cogflow.model.tf.Layers;
import io.cogflow.model.tf.ModelVariables;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code CogVideoXAttnProcessor2_0}: full self-attention over text and video tokens together, with shared
 * q/k/v projections, LayerNorm on q and k per head, optional RoPE on the video rows, softmax(q·kᵀ/√d)·v, and
 * the output projection. Queries are processed in row chunks to honour the {@link AttentionBudget}.
 */
final class JointAttention {
    private final TransformerConfig config;
    private final ModelVariables w;
    private final AttentionBudget budget;

    JointAttention(TransformerConfig config, ModelVariables w, AttentionBudget budget) {
        this.config = config;
        this.w = w;
        this.budget = budget;
    }

    /**
     * @param x      joint sequence [B, S, D], text first
     * @param rotary null, or {cos, sin} [S, head_dim] with identity rows (cos 1, sin 0) for the text tokens
     * @return attention output [B, S, D]
     */
    Operand<TFloat32> apply(Ops tf, String prefix, Operand<TFloat32> x, Operand<TFloat32>[] rotary) {
        // a free batch (-1, exported graphs) is planned per sample: chunk memory then grows with the batch
        long batch = Math.max(1, x.shape().size(0));
        int seq = (int) x.shape().size(1);
        int heads = config.numAttentionHeads();
        int hd = config.attentionHeadDim();
        double eps = 1e-6; // diffusers builds the q/k LayerNorm with eps 1e-6, not norm_eps

        Operand<TFloat32> q = heads(tf, project(tf, prefix + "to_q", x), seq);
        Operand<TFloat32> k = heads(tf, project(tf, prefix + "to_k", x), seq);
        Operand<TFloat32> v = heads(tf, project(tf, prefix + "to_v", x), seq);
        q = Layers.layerNorm(tf, q, w.get(prefix + "norm_q.weight"), w.get(prefix + "norm_q.bias"), eps);
        k = Layers.layerNorm(tf, k, w.get(prefix + "norm_k.weight"), w.get(prefix + "norm_k.bias"), eps);
        if (rotary != null) {
            q = rotate(tf, q, rotary[0], rotary[1], seq);
            k = rotate(tf, k, rotary[0], rotary[1], seq);
        }
        int[] toHeadsFirst = {0, 2, 1, 3};
        q = tf.math.mul(tf.linalg.transpose(q, tf.constant(toHeadsFirst)), tf.constant((float) (1 / Math.sqrt(hd))));
        k = tf.linalg.transpose(k, tf.constant(toHeadsFirst));
        v = tf.linalg.transpose(v, tf.constant(toHeadsFirst));

        Operand<TFloat32> attended = attend(tf, q, k, v, budget.queryRowsPerChunk(batch, heads, seq));
        Operand<TFloat32> merged = tf.reshape(tf.linalg.transpose(attended, tf.constant(toHeadsFirst)),
                tf.constant(new long[]{-1, seq, config.innerDim()}));
        return Layers.linear(tf, merged, w.get(prefix + "to_out.0.weight"), w.get(prefix + "to_out.0.bias"));
    }

    private Operand<TFloat32> project(Ops tf, String name, Operand<TFloat32> x) {
        return Layers.linear(tf, x, w.get(name + ".weight"),
                config.attentionBias() ? w.get(name + ".bias") : null);
    }

    private Operand<TFloat32> heads(Ops tf, Operand<TFloat32> x, int seq) {
        return tf.reshape(x, tf.constant(new long[]{-1, seq, config.numAttentionHeads(),
                config.attentionHeadDim()}));
    }

    /**
     * Rotary embedding on [B, S, H, hd]: pairs (x₂ᵢ, x₂ᵢ₊₁) → (x₂ᵢ·cos − x₂ᵢ₊₁·sin, x₂ᵢ₊₁·cos + x₂ᵢ·sin).
     */
    private Operand<TFloat32> rotate(Ops tf, Operand<TFloat32> x, Operand<TFloat32> cos, Operand<TFloat32> sin,
                                     int seq) {
        int heads = config.numAttentionHeads();
        int hd = config.attentionHeadDim();
        Operand<TFloat32> pairs = tf.reshape(x, tf.constant(new long[]{-1, seq, heads, hd / 2, 2}));
        List<Operand<TFloat32>> evenOdd = Layers.split(tf, pairs, 4, 1, 1);
        Operand<TFloat32> rotated = tf.reshape(tf.concat(List.of(tf.math.neg(evenOdd.get(1)), evenOdd.get(0)),
                tf.constant(4)), tf.constant(new long[]{-1, seq, heads, hd}));
        // tables are [S, hd]; broadcast over heads by viewing them as [S, 1, hd]
        Operand<TFloat32> c = tf.reshape(cos, tf.constant(new long[]{seq, 1, hd}));
        Operand<TFloat32> s = tf.reshape(sin, tf.constant(new long[]{seq, 1, hd}));
        return tf.math.add(tf.math.mul(x, c), tf.math.mul(rotated, s));
    }

    /** softmax(q·kᵀ)·v on [B, H, S, hd], query rows in chunks run strictly one after another. */
    private static Operand<TFloat32> attend(Ops tf, Operand<TFloat32> q, Operand<TFloat32> k, Operand<TFloat32> v,
                                            int rowsPerChunk) {
        int seq = (int) q.shape().size(2);
        if (rowsPerChunk >= seq) {
            return attendRows(tf, q, k, v);
        }
        int chunks = (seq + rowsPerChunk - 1) / rowsPerChunk;
        long[] sizes = new long[chunks];
        for (int i = 0; i < chunks; i++) {
            sizes[i] = Math.min(rowsPerChunk, seq - (long) i * rowsPerChunk);
        }
        List<Operand<TFloat32>> queries = Layers.split(tf, q, 2, sizes);
        List<Operand<TFloat32>> outputs = new ArrayList<>(chunks);
        Op previous = null;
        for (Operand<TFloat32> qc : queries) {
            // the control edge keeps two chunks' score matrices from being alive at the same time
            Ops scope = previous == null ? tf : tf.withControlDependencies(List.of(previous));
            Operand<TFloat32> out = attendRows(scope, qc, k, v);
            outputs.add(out);
            previous = (Op) out;
        }
        return tf.concat(outputs, tf.constant(2));
    }

    private static Operand<TFloat32> attendRows(Ops tf, Operand<TFloat32> q, Operand<TFloat32> k,
                                                Operand<TFloat32> v) {
        Operand<TFloat32> scores = tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true));
        Operand<TFloat32> probs = tf.nn.softmax(scores);
        return tf.train.batchMatMul(probs, v, TFloat32.class);
    }
}
