package io.cogflow.model.pipeline;

import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.video.VideoFrames;

/**
 * One request's result.
 *
 * @param video  (F, 3, H, W) floats in [0, 1], as the reference pipeline returns them (for parity checks)
 * @param frames the same as 8-bit RGB, ready for a video encoder
 */
public record GeneratedVideo(GenerationInput request, HostTensor video, VideoFrames frames, int batchSize,
                             PipelineTimings timings) {
}
