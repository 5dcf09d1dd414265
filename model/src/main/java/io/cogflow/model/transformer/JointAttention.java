package io.cogflow.model.transformer;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.LayerNorm;
import io.cogflow.model.tf.Layers;
import io.cogflow.model.tf.Linear;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.Module;
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
record JointAttention(Linear toQ, Linear toK, Linear toV, LayerNorm normQ, LayerNorm normK, Linear toOut,
                      int heads, int headDim) implements Module {

    /** diffusers builds the q/k LayerNorm with eps 1e-6, not norm_eps. */
    private static final double QK_NORM_EPS = 1e-6;

    JointAttention(String prefix, TransformerConfig c) {
        this(new Linear(prefix + ".to_q", c.innerDim(), c.innerDim(), c.attentionBias()),
                new Linear(prefix + ".to_k", c.innerDim(), c.innerDim(), c.attentionBias()),
                new Linear(prefix + ".to_v", c.innerDim(), c.innerDim(), c.attentionBias()),
                // qk norm is created with elementwise_affine=True regardless of the config flag
                new LayerNorm(prefix + ".norm_q", c.attentionHeadDim(), true, QK_NORM_EPS),
                new LayerNorm(prefix + ".norm_k", c.attentionHeadDim(), true, QK_NORM_EPS),
                new Linear(prefix + ".to_out.0", c.innerDim(), c.innerDim(), true),
                c.numAttentionHeads(), c.attentionHeadDim());
    }

    @Override
    public List<ParameterSpec> parameters() {
        return Module.parametersOf(toQ, toK, toV, normQ, normK, toOut);
    }

    /**
     * @param x      joint sequence [B, S, D], text first
     * @param rotary null, or tables [S, head_dim] with identity rows (cos 1, sin 0) for the text tokens
     * @return attention output [B, S, D]
     */
    Operand<TFloat32> apply(Ops tf, ModelVariables w, AttentionBudget budget, Operand<TFloat32> x,
                            PositionInput.Rotary rotary) {
        int seq = (int) x.shape().size(1);
        // a free batch (-1, exported graphs) is planned for the budget's max batch, so any batch up to it fits
        AttentionPlan plan = budget.plan(x.shape().size(0), heads, seq);

        Operand<TFloat32> q = heads(tf, toQ.apply(tf, w, x), seq);
        Operand<TFloat32> k = heads(tf, toK.apply(tf, w, x), seq);
        Operand<TFloat32> v = heads(tf, toV.apply(tf, w, x), seq);
        q = normQ.apply(tf, w, q);
        k = normK.apply(tf, w, k);
        if (rotary != null) {
            q = rotate(tf, q, rotary, seq);
            k = rotate(tf, k, rotary, seq);
        }
        int[] toHeadsFirst = {0, 2, 1, 3};
        q = tf.math.mul(tf.linalg.transpose(q, tf.constant(toHeadsFirst)),
                tf.constant((float) (1 / Math.sqrt(headDim))));
        k = tf.linalg.transpose(k, tf.constant(toHeadsFirst));
        v = tf.linalg.transpose(v, tf.constant(toHeadsFirst));

        Operand<TFloat32> attended = attend(tf, q, k, v, plan.rowsPerChunk());
        Operand<TFloat32> merged = tf.reshape(tf.linalg.transpose(attended, tf.constant(toHeadsFirst)),
                tf.constant(new long[]{-1, seq, (long) heads * headDim}));
        return toOut.apply(tf, w, merged);
    }

    private Operand<TFloat32> heads(Ops tf, Operand<TFloat32> x, int seq) {
        return tf.reshape(x, tf.constant(new long[]{-1, seq, heads, headDim}));
    }

    /**
     * Rotary embedding on [B, S, H, hd]: pairs (x₂ᵢ, x₂ᵢ₊₁) → (x₂ᵢ·cos − x₂ᵢ₊₁·sin, x₂ᵢ₊₁·cos + x₂ᵢ·sin).
     */
    private Operand<TFloat32> rotate(Ops tf, Operand<TFloat32> x, PositionInput.Rotary rotary, int seq) {
        int hd = headDim;
        Operand<TFloat32> pairs = tf.reshape(x, tf.constant(new long[]{-1, seq, heads, hd / 2, 2}));
        List<Operand<TFloat32>> evenOdd = Layers.split(tf, pairs, 4, 1, 1);
        Operand<TFloat32> rotated = tf.reshape(tf.concat(List.of(tf.math.neg(evenOdd.get(1)), evenOdd.get(0)),
                tf.constant(4)), tf.constant(new long[]{-1, seq, heads, hd}));
        // tables are [S, hd]; broadcast over heads by viewing them as [S, 1, hd]
        Operand<TFloat32> c = tf.reshape(rotary.cos(), tf.constant(new long[]{seq, 1, hd}));
        Operand<TFloat32> s = tf.reshape(rotary.sin(), tf.constant(new long[]{seq, 1, hd}));
        return tf.math.add(tf.math.mul(x, c), tf.math.mul(rotated, s));
    }

    /**
     * softmax(q·kᵀ)·v on [B, H, S, hd]. When the scores fit the budget: one BatchMatMul → Softmax → BatchMatMul with
     * no split and no control edge (q is scaled before), the pattern XLA's GPU fused-attention rewrite matches.
     * Otherwise query rows in chunks run strictly one after another.
     */
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
