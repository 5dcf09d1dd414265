package io.cogflow.job;

import io.cogflow.model.pipeline.GeneratedVideo;
import io.cogflow.model.pipeline.PipelineTimings;

/** A generated video as the request's result, whichever way its slot batched it. */
final class VideoResults {
    private VideoResults() {
    }

    /**
     * SUCCEEDED with the video, or FAILED when the model produced non-finite values.
     *
     * @param queueMs the request's wait from arrival at the slot to the start of its generation
     */
    static ResultRecord of(AcceptedRequest request, GeneratedVideo v, ResultRecord.Batch batch, double queueMs,
                           String modelId) {
        int nonFinite = nonFinite(v);
        if (nonFinite > 0) {
            // the 8-bit frames would turn NaN into black and pass for a video: the request failed
            return ResultRecord.withoutVideo(request, ResultStatus.FAILED, "NON_FINITE_OUTPUT", "the model produced "
                    + nonFinite + " non-finite value(s) (NaN or infinity) in the video; a lower guidance or another "
                    + "seed may avoid it", modelId);
        }
        PipelineTimings t = v.timings();
        return ResultRecord.generated(request, v.frames().rgb(), batch, new ResultRecord.Timings(queueMs,
                t.tokenizeMs(), t.encodeTextMs(), t.denoiseMs(), t.decodeMs(), t.totalMs(), 0), modelId);
    }

    /** How many of the video's float values are NaN or infinite; 0 when the generator gave only 8-bit frames. */
    static int nonFinite(GeneratedVideo v) {
        if (v.video() == null) {
            return 0;
        }
        int n = 0;
        for (float x : v.video().data()) {
            if (!Float.isFinite(x)) {
                n++;
            }
        }
        return n;
    }
}
