package io.cogflow.model.t5;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.Module;

import java.util.List;

/** {@code T5Block} of the encoder: self-attention ({@code layer.0}), then feed-forward ({@code layer.1}). */
record T5Block(T5SelfAttention attention, T5FeedForward feedForward) implements Module {

    /** Block {@code i}'s self-attention sub-layer; block 0's holds the relative-position table. */
    static String attentionPrefix(int i) {
        return prefix(i) + ".layer.0";
    }

    static T5Block of(int i, T5Config c) {
        return new T5Block(T5SelfAttention.of(attentionPrefix(i), c, i == 0),
                T5FeedForward.of(prefix(i) + ".layer.1", c));
    }

    private static String prefix(int i) {
        return "encoder.block." + i;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return Module.parametersOf(attention, feedForward);
    }
}
