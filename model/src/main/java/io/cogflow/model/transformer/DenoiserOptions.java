package io.cogflow.model.transformer;

import io.cogflow.model.tf.SessionOptions;

/** Runtime knobs of a {@link TransformerDenoiser}: TensorFlow thread pools and the attention memory budget. */
public record DenoiserOptions(SessionOptions session, AttentionBudget attention) {

    public static DenoiserOptions defaults() {
        return new DenoiserOptions(SessionOptions.defaults(), AttentionBudget.DEFAULT);
    }

    public DenoiserOptions withAttention(AttentionBudget budget) {
        return new DenoiserOptions(session, budget);
    }
}
