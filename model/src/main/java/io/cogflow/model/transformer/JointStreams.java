package io.cogflow.model.transformer;

import io.cogflow.model.tf.Layers;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

/**
 * The two token streams of the expert transformer, kept apart where they are modulated separately and joined
 * (text first) where attention and the feed-forward treat them as one sequence.
 *
 * @param text  [B, T, D]
 * @param video [B, V, D]
 */
record JointStreams(Operand<TFloat32> text, Operand<TFloat32> video) {

    /** [B, T + V, D], text first. */
    Operand<TFloat32> joined(Ops tf) {
        return tf.concat(List.of(text, video), tf.constant(1));
    }

    /** Splits a joined sequence [B, T + V, ·] back at this pair's text length. */
    JointStreams split(Ops tf, Operand<TFloat32> joint) {
        List<Operand<TFloat32>> parts = Layers.split(tf, joint, 1, text.shape().size(1), video.shape().size(1));
        return new JointStreams(parts.get(0), parts.get(1));
    }

    /** This pair plus {@code gate}-scaled {@code update}, each stream with its own gate. */
    JointStreams plusGated(Ops tf, LayerNormZero.Modulated gates, JointStreams update) {
        return new JointStreams(tf.math.add(text, tf.math.mul(gates.textGate(), update.text())),
                tf.math.add(video, tf.math.mul(gates.videoGate(), update.video())));
    }
}
