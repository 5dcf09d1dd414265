package io.cogflow.model.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Locale;

/**
 * Wall time of each stage of one batch, in milliseconds. The batch shares them: a request's latency is the
 * batch's.
 *
 * <p>A request generated step by step ({@link VideoGenerator#prepare}, {@link VideoGenerator#step}, {@link
 * VideoGenerator#decode}) has its own: the stages of the preparation it was part of (shared with the requests
 * prepared with it), the steps it took part in, its own decode, and its total from the start of its preparation to
 * the end of its decode — which includes waiting between steps, so it may exceed the sum of the stages.
 *
 * @param denoiseMs all denoising steps together; {@code steps} calls of the transformer (two rows per request
 *                  with guidance)
 */
public record PipelineTimings(double tokenizeMs, double encodeTextMs, double noiseMs, double denoiseMs, int steps,
                           double decodeMs, double totalMs) {

    @JsonProperty
    public double msPerStep() {
        return steps == 0 ? 0 : denoiseMs / steps;
    }

    public String summary() {
        return String.format(Locale.ROOT, "tokenize %.1f ms, encode text %.1f ms, noise %.1f ms, denoise %.1f ms "
                        + "(%d steps, %.1f ms/step), decode %.1f ms, total %.1f ms", tokenizeMs, encodeTextMs, noiseMs,
                denoiseMs, steps, msPerStep(), decodeMs, totalMs);
    }
}
