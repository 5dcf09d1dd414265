package io.cogflow.job;

/**
 * One result as it leaves the job (serialised to the results topic as a {@code GenerationResult}).
 *
 * @param inline the video bytes when at most the inline limit, else null
 * @param uri    the claim-check reference when larger, else null
 */
public record ResultRecord(String requestId, ResultStatus status, String errorCode, String errorMessage,
                           String mimeType, long sizeBytes, String sha256, byte[] inline, String uri, int width,
                           int height, int frames, int fps, Long seedUsed, String modelId, String batchId,
                           int batchSize, double queueMs, double tokenizeMs, double encodeTextMs, double denoiseMs,
                           double decodeMs, double encodeVideoMs, double totalMs, long createdAt) {

    /** A result without a video: rejected, expired or failed. */
    public static ResultRecord withoutVideo(Job job, String requestId, ResultStatus status, String code,
                                            String message, String modelId) {
        return new ResultRecord(requestId, status, code, message, null, 0, null, null, null,
                job == null ? 0 : job.width(), job == null ? 0 : job.height(), job == null ? 0 : job.frames(),
                job == null ? 0 : job.fps(), job == null ? null : job.seed(), modelId, null, 0, 0, 0, 0, 0, 0, 0, 0,
                System.currentTimeMillis());
    }
}
