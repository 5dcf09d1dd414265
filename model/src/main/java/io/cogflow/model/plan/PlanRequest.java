package io.cogflow.model.plan;

/**
 * What to plan.
 *
 * @param batch          transformer batch rows per denoise call (with classifier-free guidance a video takes
 *                       two rows: the pipeline batches unconditional and conditional rows in one call)
 * @param steps          denoising steps per video
 * @param rowsPerVideo   2 with classifier-free guidance, 1 without
 * @param videosPerHour  a throughput target, or 0 for none
 * @param latencySeconds the longest a video's denoising may take for that target (0: no bound)
 */
public record PlanRequest(DeviceSpec device, Compute compute, Fusion fusion, long batch, int steps, int rowsPerVideo,
                          double videosPerHour, double latencySeconds) {

    public PlanRequest {
        if (batch < 1 || steps < 1) {
            throw new IllegalArgumentException("batch and steps must be at least 1");
        }
        if (rowsPerVideo != 1 && rowsPerVideo != 2) {
            throw new IllegalArgumentException("a video takes 1 row (no guidance) or 2 (classifier-free guidance)");
        }
        if (batch % rowsPerVideo != 0) {
            throw new IllegalArgumentException("batch " + batch + " is not a whole number of videos of "
                    + rowsPerVideo + " rows (classifier-free guidance runs two rows per video)");
        }
        if (videosPerHour < 0 || latencySeconds < 0) {
            throw new IllegalArgumentException("target and latency bound must not be negative");
        }
        if (videosPerHour > 0 && latencySeconds == 0) {
            throw new IllegalArgumentException("a videos-per-hour target needs a latency bound (--latency-bound)");
        }
    }
}
