package io.cogflow.model.pipeline;

/**
 * One request between {@link VideoGenerator#prepare} and {@link VideoGenerator#decode}: its latents part-way
 * through denoising, its own sampler state, guidance and noise, and the time it has spent so far. A continuous
 * batcher keeps a set of these and {@link VideoGenerator#step steps} the running ones together; the set may change
 * at every step, since a sample carries everything its next step needs. Not thread-safe: one thread drives it, as
 * one thread drives a batch.
 */
public final class RunningSample {
    private final GenerationInput request;
    private final SamplingLoop.Sample sample;
    private final PreparationMarks preparation;
    private long denoiseNanos;
    private int stepsTaken;
    private int largestStep;

    RunningSample(GenerationInput request, SamplingLoop.Sample sample, PreparationMarks preparation) {
        this.request = request;
        this.sample = sample;
        this.preparation = preparation;
    }

    public GenerationInput request() {
        return request;
    }

    /** Whether it has taken all its steps: it can be decoded, and cannot step again. */
    public boolean done() {
        return sample.sampler().done();
    }

    /** Steps still to take; 0 when {@link #done}. */
    public int remainingSteps() {
        return sample.sampler().steps() - sample.sampler().stepIndex();
    }

    /** The denoising steps (transformer calls) it has taken part in. */
    public int stepsTaken() {
        return stepsTaken;
    }

    /** Wall time of the steps it has taken part in, summed: shared with the samples stepped with it. */
    public double denoiseMs() {
        return denoiseNanos / 1e6;
    }

    /** The most requests it shared one step with (itself included); 0 before its first step. */
    public int largestStep() {
        return largestStep;
    }

    SamplingLoop.Sample sample() {
        return sample;
    }

    PreparationMarks preparation() {
        return preparation;
    }

    /** Counts one step it took part in, which took {@code nanos} for {@code requests} requests together. */
    void tookStep(long nanos, int requests) {
        denoiseNanos += nanos;
        stepsTaken++;
        largestStep = Math.max(largestStep, requests);
    }
}
