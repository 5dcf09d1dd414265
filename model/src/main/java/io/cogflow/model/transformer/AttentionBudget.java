package io.cogflow.model.transformer;

/**
 * How many attention-score elements (batch × heads × query rows × keys) may exist at once. Above it, queries
 * are processed in row chunks one after another; below it attention runs in one piece. One head of a
 * 17,776-token CogVideoX sequence alone has 316 M scores (1.26 GB in float32), so real sizes need chunking.
 */
public record AttentionBudget(long maxScoreElements) {

    /** 2^28 scores: 1 GiB of float32 per chunk, which leaves small models unchunked. */
    public static final AttentionBudget DEFAULT = new AttentionBudget(1L << 28);

    public AttentionBudget {
        if (maxScoreElements <= 0) {
            throw new IllegalArgumentException("attention budget must be positive, got " + maxScoreElements);
        }
    }

    /** Query rows per chunk for this attention size; the whole sequence when it fits. */
    public int queryRowsPerChunk(long batch, int heads, int sequence) {
        long perRow = batch * heads * (long) sequence;
        if (perRow > maxScoreElements) {
            throw new IllegalArgumentException("attention budget of " + maxScoreElements
                    + " score elements is below one query row (" + batch + " × " + heads + " heads × "
                    + sequence + " keys = " + perRow + "); raise it or lower the batch");
        }
        return (int) Math.min(sequence, maxScoreElements / perRow);
    }
}
