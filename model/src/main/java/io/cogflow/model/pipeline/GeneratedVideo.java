package io.cogflow.model.pipeline;

import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.video.VideoFrames;

/**
 * One request's result.
 *
 * @param video     (F, 3, H, W) floats in [0, 1], as the reference pipeline returns them (for parity checks)
 * @param frames    the same as 8-bit RGB, ready for a video encoder
 * @param batchSize the requests generated together; for a request stepped in a changing set, the most it shared
 *                  one step with (in a fixed batch both are the batch's size)
 */
public record GeneratedVideo(GenerationInput request, HostTensor video, VideoFrames frames, int batchSize,
                             PipelineTimings timings) {
}
