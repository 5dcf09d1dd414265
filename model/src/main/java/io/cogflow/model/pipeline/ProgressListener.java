package io.cogflow.model.pipeline;

/** Hears about a generation as it runs; called on the generating thread, so keep it quick. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (step, steps) -> {
    };

    /**
     * After each denoising step of the batch.
     *
     * @param step  steps done so far (1-based)
     * @param steps the batch's largest step count
     */
    void onStep(int step, int steps);
}
