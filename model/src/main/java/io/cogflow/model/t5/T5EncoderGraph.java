package io.cogflow.model.t5;

import io.cogflow.model.tf.Layers;
import io.cogflow.model.tf.ModelVariables;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

import java.util.ArrayList;
import java.util.List;

/**
 * The forward pass of transformers' {@code T5EncoderModel} (T5 v1.1 layout) on weights held in
 * {@link ModelVariables}: token embedding (not scaled), then per block, pre-norm,
 * {@code x += o(Attention(RMS(x)))} and {@code x += wo(act(wi_0·RMS(x)) ⊙ wi_1·RMS(x))}
 * (or {@code wo(act(wi·RMS(x)))} for non-gated configs), then a final RMS norm. Attention has no 1/√d scaling
 * and no mask (CogVideoX attends to padding); its logits get a relative-position bias computed once from
 * block 0's table and shared by all blocks. Everything is float32. Weights are read from the variables, never
 * copied into the graph, so several call shapes can share one set of weights.
 */
final class T5EncoderGraph {

    /**
     * The graph's outputs, named like transformers' modules.
     *
     * @param embeddings   {@code encoder.embed_tokens} [B, L, d_model]
     * @param positionBias {@code encoder.block.0} second output [1, heads, L, L], or null without blocks
     * @param blocks       {@code encoder.block.i} outputs [B, L, d_model]
     * @param output       {@code encoder.final_layer_norm} = {@code last_hidden_state} [B, L, d_model]
     */
    record Outputs(Operand<TFloat32> embeddings, Operand<TFloat32> positionBias, List<Operand<TFloat32>> blocks,
                   Operand<TFloat32> output) {
    }

    private final T5Config config;
    private final ModelVariables w;

    T5EncoderGraph(T5Config config, ModelVariables weights) {
        this.config = config;
        this.w = weights;
    }

    /**
     * @param ids     token ids [B, L]
     * @param buckets relative-position buckets [L, L] ({@link RelativePositionBuckets#table})
     */
    Outputs forward(Ops tf, Operand<TInt64> ids, Operand<TInt32> buckets) {
        Shape idShape = ids.shape();
        long len = idShape.size(1);
        Operand<TFloat32> x = tf.withName("embed_tokens").gather(w.get(T5Parameters.EMBEDDING), ids,
                tf.constant(0));
        Operand<TFloat32> embeddings = x;
        Operand<TFloat32> bias = null;
        List<Operand<TFloat32>> blocks = new ArrayList<>();
        if (config.numLayers() > 0) {
            bias = positionBias(tf.withSubScope("position_bias"), buckets, len);
        }
        for (int i = 0; i < config.numLayers(); i++) {
            Ops b = tf.withSubScope("block_" + i);
            x = tf.math.add(x, attention(b.withSubScope("attention"), i, x, bias, len));
            x = tf.math.add(x, feedForward(b.withSubScope("feed_forward"), i, x));
            blocks.add(x);
        }
        Operand<TFloat32> out = rmsNorm(tf.withSubScope("final_layer_norm"), x, w.get(T5Parameters.FINAL_NORM));
        return new Outputs(embeddings, bias, List.copyOf(blocks), out);
    }

    /** Bias [1, heads, L, L]: table [buckets, heads] gathered at the [L, L] bucket indices, heads first. */
    private Operand<TFloat32> positionBias(Ops tf, Operand<TInt32> buckets, long len) {
        Operand<TFloat32> perPair = tf.gather(w.get(T5Parameters.RELATIVE_BIAS), buckets, tf.constant(0));
        Operand<TFloat32> headsFirst = tf.linalg.transpose(perPair, tf.constant(new int[]{2, 0, 1}));
        return tf.reshape(headsFirst, tf.constant(new long[]{1, config.numHeads(), len, len}));
    }

    private Operand<TFloat32> attention(Ops tf, int block, Operand<TFloat32> x, Operand<TFloat32> bias,
                                        long len) {
        String p = T5Parameters.attention(block);
        Operand<TFloat32> normed = rmsNorm(tf.withSubScope("layer_norm"), x, w.get(p + "layer_norm.weight"));
        Operand<TFloat32> q = heads(tf, project(tf, normed, p + "SelfAttention.q.weight"), len);
        Operand<TFloat32> k = heads(tf, project(tf, normed, p + "SelfAttention.k.weight"), len);
        Operand<TFloat32> v = heads(tf, project(tf, normed, p + "SelfAttention.v.weight"), len);
        // T5 folds the 1/√d scale into its initialisation: logits are plain q·kᵀ
        Operand<TFloat32> scores = tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true));
        Operand<TFloat32> probs = tf.nn.softmax(tf.math.add(scores, bias));
        Operand<TFloat32> context = tf.train.batchMatMul(probs, v, TFloat32.class);
        Operand<TFloat32> merged = tf.reshape(tf.linalg.transpose(context, tf.constant(new int[]{0, 2, 1, 3})),
                tf.constant(new long[]{-1, len, config.innerDim()}));
        return project(tf, merged, p + "SelfAttention.o.weight");
    }

    /** A bias-free {@code nn.Linear}: T5 has no biases anywhere. */
    private Operand<TFloat32> project(Ops tf, Operand<TFloat32> x, String weight) {
        return Layers.linear(tf, x, w.get(weight), null);
    }

    /** [B, L, heads·d_kv] → [B, heads, L, d_kv]. */
    private Operand<TFloat32> heads(Ops tf, Operand<TFloat32> x, long len) {
        Operand<TFloat32> split = tf.reshape(x, tf.constant(new long[]{-1, len, config.numHeads(), config.dKv()}));
        return tf.linalg.transpose(split, tf.constant(new int[]{0, 2, 1, 3}));
    }

    private Operand<TFloat32> feedForward(Ops tf, int block, Operand<TFloat32> x) {
        String p = T5Parameters.feedForward(block);
        Operand<TFloat32> normed = rmsNorm(tf.withSubScope("layer_norm"), x, w.get(p + "layer_norm.weight"));
        Operand<TFloat32> hidden;
        if (config.gatedAct()) {
            Operand<TFloat32> gate = activate(tf, project(tf, normed, p + "DenseReluDense.wi_0.weight"));
            hidden = tf.math.mul(gate, project(tf, normed, p + "DenseReluDense.wi_1.weight"));
        } else {
            hidden = activate(tf, project(tf, normed, p + "DenseReluDense.wi.weight"));
        }
        return project(tf, hidden, p + "DenseReluDense.wo.weight");
    }

    private Operand<TFloat32> activate(Ops tf, Operand<TFloat32> x) {
        return switch (config.activation()) {
            case GELU_TANH -> Layers.gelu(tf, x, true);
            case GELU -> Layers.gelu(tf, x, false);
            case RELU -> tf.nn.relu(x);
            case SILU -> Layers.silu(tf, x);
        };
    }

    /** T5's RMS norm: w · x / √(mean(x²) + eps) over the last axis; no centring, no bias. */
    private Operand<TFloat32> rmsNorm(Ops tf, Operand<TFloat32> x, Operand<TFloat32> weight) {
        Operand<TFloat32> meanSquare = tf.math.mean(tf.math.square(x), tf.constant(new int[]{-1}),
                Mean.keepDims(true));
        Operand<TFloat32> normed = tf.math.mul(x, tf.math.rsqrt(tf.math.add(meanSquare,
                tf.constant((float) config.layerNormEpsilon()))));
        return tf.math.mul(weight, normed);
    }
}
