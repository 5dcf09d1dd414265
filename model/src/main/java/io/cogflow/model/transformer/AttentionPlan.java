package io.cogflow.model.transformer;

/**
 * How one attention layer runs for a planned batch: query rows per chunk, the whole sequence when the batch's
 * scores fit the budget. An unchunked layer is the plain q·kᵀ → softmax → ·v that XLA's GPU fused-attention
 * rewrite can match (docs/attention.md); a chunked one splits the queries and runs the chunks one after another.
 *
 * @param batch the batch the plan holds for: the call's own, or the budget's max batch when the batch is free
 */
public record AttentionPlan(long batch, int heads, int sequence, int rowsPerChunk) {

    public boolean unchunked() {
        return rowsPerChunk >= sequence;
    }

    public int chunks() {
        return (sequence + rowsPerChunk - 1) / rowsPerChunk;
    }

    /** Score bytes of the largest chunk at the planned batch (float32 scores, {@link AttentionBudget#SCORE_BYTES}). */
    public long chunkScoreBytes() {
        return batch * heads * (long) Math.min(rowsPerChunk, sequence) * sequence * AttentionBudget.SCORE_BYTES;
    }
}
