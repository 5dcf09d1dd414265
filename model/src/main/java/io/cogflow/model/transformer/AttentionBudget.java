package io.cogflow.model.transformer;

/**
 * How much memory the attention scores of one transformer call may take at once — for the <em>whole batch</em>
 * — and the largest batch that promise is made for. Above the budget, queries are processed in row chunks one
 * after another; within it attention runs in one piece. One head of a 17,776-token CogVideoX sequence alone has
 * 316 M scores (1.26 GB in float32), so real sizes need chunking.
 * <p>
 * An exported graph leaves the batch free, so it is planned for {@code maxBatch}: its score memory then stays
 * within the budget for every batch up to it, and a larger batch is refused ({@link #requireBatch}); the manifest
 * records both. A graph built for a known batch is planned for that batch. The batch counts transformer rows: with
 * classifier-free guidance a video takes two.
 *
 * @param memory   the score bytes for a whole batch
 * @param maxBatch the largest batch (transformer rows per call) the plan holds for
 */
public record AttentionBudget(AttentionMemory memory, int maxBatch) {

    /** Scores are counted in float32: softmax runs in float32 whatever the compute type. */
    public static final int SCORE_BYTES = Float.BYTES;

    /**
     * 8 GiB of scores for up to 32 rows (16 videos with guidance, the largest batch a shipped config allows):
     * 256 MiB per row, which leaves every small model unchunked.
     */
    public static final AttentionBudget DEFAULT = new AttentionBudget(new AttentionMemory.Explicit(8L << 30), 32);

    public AttentionBudget {
        if (memory == null) {
            throw new IllegalArgumentException("attention budget needs its memory");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("attention max batch must be at least 1, got " + maxBatch);
        }
    }

    public long scoreBytes() {
        return memory.bytes();
    }

    /**
     * The plan for one attention size.
     *
     * @param batch the call's batch, or -1 when it is free (an exported graph): planned for {@link #maxBatch}
     */
    public AttentionPlan plan(long batch, int heads, int sequence) {
        long planned = batch < 0 ? maxBatch : batch;
        requireBatch(planned);
        long perRow = planned * heads * (long) sequence * SCORE_BYTES;
        if (perRow > scoreBytes()) {
            throw new IllegalArgumentException("attention budget of " + scoreBytes() + " bytes is below one query row ("
                    + planned + " batch × " + heads + " heads × " + sequence + " keys × " + SCORE_BYTES + " bytes = "
                    + perRow + "); raise it or lower the max batch");
        }
        return new AttentionPlan(planned, heads, sequence, (int) Math.min(sequence, scoreBytes() / perRow));
    }

    /** Query rows per chunk for this attention size; the whole sequence when it fits. */
    public int queryRowsPerChunk(long batch, int heads, int sequence) {
        return plan(batch, heads, sequence).rowsPerChunk();
    }

    /** Refuses a batch the plan does not hold for. */
    public void requireBatch(long batch) {
        if (batch > maxBatch) {
            throw new IllegalArgumentException("attention is planned for at most " + maxBatch + " transformer rows per "
                    + "call (a video with guidance takes two), got " + batch + "; lower the batch or export with "
                    + "--max-batch " + batch);
        }
    }
}
