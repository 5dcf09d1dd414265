package io.cogflow.job;

import io.cogflow.model.pipeline.VideoSize;

/**
 * A request as the job carries it between operators: the wire record's fields, flattened (Flink serialises
 * records of plain fields efficiently; Avro objects would fall back to Kryo).
 *
 * @param seed           the request's seed, or — when it gave none — one derived from the request id, so a
 *                       request replayed after a failure produces the same video
 * @param sampler        "DDIM", "DPM", or null for the model's default
 * @param deadlineMillis epoch millis after which the result is useless; 0 for none
 */
public record Job(String requestId, String prompt, String negativePrompt, int width, int height, int frames, int fps,
                  int steps, double guidance, boolean dynamicCfg, long seed, String sampler, String outputFormat,
                  int priority, long deadlineMillis, long receivedAtMillis) {

    public VideoSize size() {
        return new VideoSize(width, height, frames);
    }

    public boolean expiredAt(long nowMillis) {
        return deadlineMillis > 0 && nowMillis > deadlineMillis;
    }
}
