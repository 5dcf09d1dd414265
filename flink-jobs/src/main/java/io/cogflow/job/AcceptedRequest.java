package io.cogflow.job;

import io.cogflow.model.pipeline.GenerationInput;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.sampling.SamplerKind;
import io.cogflow.model.video.VideoFormat;

/**
 * A request the job has read off the requests topic, as it travels between operators: the wire record's fields
 * in Java types, grouped by what they are about. Flink serialises records of plain fields, enums and such records
 * efficiently; Avro objects would fall back to Kryo. It is not yet checked — {@link Validator} decides whether it
 * may queue for a GPU.
 */
public record AcceptedRequest(String requestId, Prompt prompt, Clip clip, Sampling sampling, Delivery delivery) {

    /** What to show, and (empty for none) what to steer away from. */
    public record Prompt(String text, String negative) {
    }

    /**
     * The video asked for, in pixels and frames. Plain numbers, not a {@link VideoSize}: that refuses a non-positive
     * size, which must become a REJECTED result, not a dead letter.
     */
    public record Clip(int width, int height, int frames, int fps) {
    }

    /**
     * How the model denoises.
     *
     * @param seed    the request's seed, or — when it gave none — one derived from the request id, so a request
     *                replayed after a failure produces the same video
     * @param sampler null for the model's default
     */
    public record Sampling(int steps, double guidance, boolean dynamicCfg, long seed, SamplerKind sampler) {
    }

    /**
     * How the result is owed: in which format, how urgently, by when — and since when the request waits.
     *
     * @param deadlineMillis epoch millis from which on the result is useless; 0 for none (a deadline set at the
     *                       epoch itself is -1, so every deadline a client set can pass)
     */
    public record Delivery(VideoFormat format, int priority, long deadlineMillis, long receivedAtMillis) {
    }

    public VideoSize size() {
        return new VideoSize(clip.width(), clip.height(), clip.frames());
    }

    /** A deadline at or before now has passed, including one before 1970; 0 is "none", never passes. */
    public boolean expiredAt(long nowMillis) {
        return delivery.deadlineMillis() != 0 && nowMillis >= delivery.deadlineMillis();
    }

    /** What the generator takes; only for a request {@link Validator} let through. */
    public GenerationInput toGeneration() {
        return GenerationInput.builder().id(requestId).prompt(prompt.text()).negativePrompt(prompt.negative())
                .size(size()).steps(sampling.steps()).guidance(sampling.guidance()).dynamicCfg(sampling.dynamicCfg())
                .seed(sampling.seed()).sampler(sampling.sampler()).build();
    }
}
