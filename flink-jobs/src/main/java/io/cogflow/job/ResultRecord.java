package io.cogflow.job;

/**
 * One request's result inside the job, from the operator that decides it to the results topic (as a
 * {@code GenerationResult}, {@link ResultAvro}). A generated result leaves the generator with its {@code frames}
 * and leaves the encoder with its {@code video} instead; every other result is decided without a video.
 *
 * @param failure   why there is no video; null on success
 * @param batch     the batch that generated it; null when none did
 * @param frames    8-bit RGB, frame-major, between generation and encoding; null otherwise
 * @param video     the encoded video, after encoding; null otherwise
 * @param createdAt epoch millis when the result was decided (for a generated one: when it was encoded)
 */
public record ResultRecord(AcceptedRequest request, ResultStatus status, Failure failure, String modelId,
                           Batch batch, byte[] frames, EncodedVideo video, Timings timings, long createdAt) {

    /**
     * @param code    a stable, upper-case reason ({@code DEADLINE_PASSED})
     * @param message for people; cut at {@link #MAX_MESSAGE_CHARS} (an exception's message may quote its input)
     */
    public record Failure(String code, String message) {
        static final int MAX_MESSAGE_CHARS = 4096;

        public Failure {
            if (message != null && message.length() > MAX_MESSAGE_CHARS) {
                message = message.substring(0, MAX_MESSAGE_CHARS) + "…";
            }
        }
    }

    /** @param id model, subtask, batch number and start; size: requests generated together */
    public record Batch(String id, int size) {
    }

    /**
     * The encoded video: inline, or stored under a claim check.
     *
     * @param inline the bytes when at most the inline limit, else null
     * @param uri    the claim-check reference when larger, else null
     */
    public record EncodedVideo(String mimeType, long sizeBytes, String sha256, byte[] inline, String uri) {
    }

    /**
     * Where the request's time went, in milliseconds: the batch's stages plus its own wait in the queue.
     *
     * @param generateMs the batch's whole generation (the stages above and what lies between them)
     */
    public record Timings(double queueMs, double tokenizeMs, double encodeTextMs, double denoiseMs, double decodeMs,
                          double generateMs, double encodeVideoMs) {
        /** A result no stage worked on. */
        public static final Timings NONE = new Timings(0, 0, 0, 0, 0, 0, 0);

        public double totalMs() {
            return queueMs + generateMs + encodeVideoMs;
        }

        Timings withEncodeVideoMs(double ms) {
            return new Timings(queueMs, tokenizeMs, encodeTextMs, denoiseMs, decodeMs, generateMs, ms);
        }
    }

    /** A result without a video: rejected, expired or failed. */
    public static ResultRecord withoutVideo(AcceptedRequest request, ResultStatus status, String code, String message,
                                            String modelId) {
        return new ResultRecord(request, status, new Failure(code, message), modelId, null, null, null,
                Timings.NONE, System.currentTimeMillis());
    }

    /** A generated result, before encoding. */
    public static ResultRecord generated(AcceptedRequest request, byte[] frames, Batch batch, Timings timings,
                                         String modelId) {
        return new ResultRecord(request, ResultStatus.SUCCEEDED, null, modelId, batch, frames, null, timings,
                System.currentTimeMillis());
    }

    /** This generated result with its frames replaced by the encoded video. */
    public ResultRecord encoded(EncodedVideo encoded, double encodeVideoMs) {
        return new ResultRecord(request, status, failure, modelId, batch, null, encoded,
                timings.withEncodeVideoMs(encodeVideoMs), System.currentTimeMillis());
    }

    /**
     * What the results sink writes instead of this result when its record came to {@code bytes}, above the sink's
     * {@code limit}: FAILED, without a video, so the request still gets exactly one result.
     */
    public ResultRecord tooLarge(long bytes, long limit) {
        return new ResultRecord(request, ResultStatus.FAILED, new Failure("RESULT_TOO_LARGE", "the result came to "
                + bytes + " bytes, above the results sink's limit of " + limit + " bytes"), modelId, batch, null,
                null, timings, System.currentTimeMillis());
    }

    /** This result, decided again now (the encoder passes a failure on as it reaches the results). */
    public ResultRecord stampedNow() {
        return new ResultRecord(request, status, failure, modelId, batch, frames, video, timings,
                System.currentTimeMillis());
    }
}
