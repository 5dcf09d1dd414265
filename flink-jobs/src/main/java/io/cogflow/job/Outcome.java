package io.cogflow.job;

/**
 * A generation's outcome before encoding: the frames (8-bit RGB, frame-major) on success, or the failure. The
 * timings are the batch's stages plus the request's own wait in the queue.
 */
public record Outcome(Job job, ResultStatus status, String errorCode, String errorMessage, byte[] rgb, String batchId,
                      int batchSize, double queueMs, double tokenizeMs, double encodeTextMs, double denoiseMs,
                      double decodeMs, double generateMs, String modelId) {

    public static Outcome failed(Job job, ResultStatus status, String code, String message, String modelId) {
        return new Outcome(job, status, code, message, null, null, 0, 0, 0, 0, 0, 0, 0, modelId);
    }
}
