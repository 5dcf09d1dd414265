package io.cogflow.job;

import io.cogflow.model.pipeline.GenerationInput;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.sampling.SamplerKind;
import io.cogflow.model.video.VideoFormat;

/**
 * A request the job has read off the requests topic, as it travels between operators: the wire record's fields
 * in Java types (Flink serialises records of plain fields and enums efficiently; Avro objects would fall back to
 * Kryo). It is not yet checked — {@link Validator} decides whether it may queue for a GPU — so the size stays three
 * plain numbers: a {@link VideoSize} refuses a non-positive one, which must become a REJECTED result, not a dead
 * letter.
 *
 * @param seed           the request's seed, or — when it gave none — one derived from the request id, so a
 *                       request replayed after a failure produces the same video
 * @param sampler        null for the model's default
 * @param deadlineMillis epoch millis after which the result is useless; 0 for none
 */
public record AcceptedRequest(String requestId, String prompt, String negativePrompt, int width, int height,
                              int frames, int fps, int steps, double guidance, boolean dynamicCfg, long seed,
                              SamplerKind sampler, VideoFormat outputFormat, int priority, long deadlineMillis,
                              long receivedAtMillis) {

    public VideoSize size() {
        return new VideoSize(width, height, frames);
    }

    public boolean expiredAt(long nowMillis) {
        return deadlineMillis > 0 && nowMillis > deadlineMillis;
    }

    /** What the generator takes; only for a request {@link Validator} let through. */
    public GenerationInput toGeneration() {
        return GenerationInput.builder().id(requestId).prompt(prompt).negativePrompt(negativePrompt).size(size())
                .steps(steps).guidance(guidance).dynamicCfg(dynamicCfg).seed(seed).sampler(sampler).build();
    }
}
