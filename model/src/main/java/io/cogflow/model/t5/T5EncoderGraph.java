package io.cogflow.model.t5;

import io.cogflow.model.tf.ModelVariables;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
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

    private final T5Encoder layers;
    private final ModelVariables w;

    T5EncoderGraph(T5Config config, ModelVariables weights) {
        this.layers = T5Encoder.of(config);
        this.w = weights;
    }

    /**
     * @param ids     token ids [B, L]
     * @param buckets relative-position buckets [L, L] ({@link RelativePositionBuckets#table})
     */
    Outputs forward(Ops tf, Operand<TInt64> ids, Operand<TInt32> buckets) {
        Shape idShape = ids.shape();
        long len = idShape.size(1);
        Operand<TFloat32> x = layers.shared().apply(tf.withSubScope("embed_tokens"), w, ids);
        Operand<TFloat32> embeddings = x;
        Operand<TFloat32> bias = null;
        List<Operand<TFloat32>> blocks = new ArrayList<>();
        if (!layers.blocks().isEmpty()) {
            bias = layers.blocks().get(0).attention().positionBias(tf.withSubScope("position_bias"), w, buckets, len);
        }
        for (int i = 0; i < layers.blocks().size(); i++) {
            T5Block block = layers.blocks().get(i);
            Ops b = tf.withSubScope("block_" + i);
            x = tf.math.add(x, block.attention().apply(b.withSubScope("attention"), w, x, bias, len));
            x = tf.math.add(x, block.feedForward().apply(b.withSubScope("feed_forward"), w, x));
            blocks.add(x);
        }
        Operand<TFloat32> out = layers.finalNorm().apply(tf.withSubScope("final_layer_norm"), w, x);
        return new Outputs(embeddings, bias, List.copyOf(blocks), out);
    }
}
