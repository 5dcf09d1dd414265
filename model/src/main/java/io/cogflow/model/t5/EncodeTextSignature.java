package io.cogflow.model.t5;

import io.cogflow.model.tf.ModelVariables;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The text encoder as a servable graph: token ids [B, L] with the batch left free → last hidden state
 * [B, L, d_model]. L is fixed (the relative-position buckets are a constant for it).
 */
public record EncodeTextSignature(Placeholder<TInt64> ids, Operand<TFloat32> embeddings) {

    public static EncodeTextSignature build(Ops tf, T5Config config, ModelVariables weights, int length) {
        Placeholder<TInt64> ids = tf.withName("input_ids").placeholder(TInt64.class,
                Placeholder.shape(Shape.of(-1, length)));
        Operand<TInt32> buckets = tf.withName("relative_buckets").constant(Shape.of(length, length),
                DataBuffers.of(RelativePositionBuckets.table(length, config), true, false));
        return new EncodeTextSignature(ids, new T5EncoderGraph(config, weights).forward(tf, ids, buckets).output());
    }
}
