package io.cogflow.model.pipeline;

/**
 * {@link System#nanoTime} at the start and end of each preparation stage of one {@link VideoGenerator#prepare}
 * call, shared by the requests it prepared (they were tokenized, encoded in one call and noised together); all
 * equal when the caller prepared the inputs itself.
 */
record PreparationMarks(long start, long tokenized, long encoded, long noised) {

    static PreparationMarks now() {
        long now = System.nanoTime();
        return new PreparationMarks(now, now, now, now);
    }

    double tokenizeMs() {
        return ms(start, tokenized);
    }

    double encodeTextMs() {
        return ms(tokenized, encoded);
    }

    double noiseMs() {
        return ms(encoded, noised);
    }

    /** From the start of preparation to {@code nanos}. */
    double msSinceStart(long nanos) {
        return ms(start, nanos);
    }

    static double ms(long from, long to) {
        return (to - from) / 1e6;
    }
}
