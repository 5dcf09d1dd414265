package io.cogflow.training;

/**
 * Where a training run reports how far a long piece of work has got (a stage's steps, the latent encoding). Training
 * only counts; how progress looks (a line redrawn on a terminal, plain lines in a log) is the caller's business, so
 * the command line draws it and training stays free of terminal code.
 */
@FunctionalInterface
public interface TrainingProgress {

    /** Reports nothing. */
    TrainingProgress NONE = (label, unit, from, total) -> Meter.NONE;

    /**
     * Opens a meter for one piece of work.
     *
     * @param unit what is counted, plural ("steps", "clips")
     * @param from how much was done before this invocation (a resumed stage): a rate should count only the rest
     */
    Meter open(String label, String unit, long from, long total);

    /** The progress of one piece of work; {@link #close()} ends it, also when the work stopped short. */
    interface Meter extends AutoCloseable {
        Meter NONE = new Meter() {
            @Override
            public void set(long done, String detail) {
            }

            @Override
            public void close() {
            }
        };

        /** {@code done} of the total, with a detail to show beside it (a loss, say; "" for none). */
        void set(long done, String detail);

        @Override
        void close();
    }
}
