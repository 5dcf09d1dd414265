package io.cogflow.scheduling;

import io.cogflow.model.pipeline.BatchProfile;
import io.cogflow.model.pipeline.VideoSize;

import java.util.List;

/**
 * Batch size and wait per bucket from a measured {@link BatchProfile} and a latency target, instead of one global
 * max batch size.
 *
 * <ul>
 *   <li><b>Largest batch</b> b*: among measured batch sizes whose batch time fits in half the latency target (the
 *       other half is for queueing), the smallest that reaches 97 % of the best throughput. Where per-video cost
 *       keeps falling (a GPU at small sizes) that is a big batch; where it flattens early (a GPU at 480×720×49)
 *       a small one, since a bigger batch would only add latency.</li>
 *   <li><b>Batch for the current load</b>: the smallest batch whose throughput keeps up with the bucket's
 *       measured arrival rate with 10 % headroom. The throughput is the pipeline's, not the bare profile's: the
 *       profile's times scaled by how much slower this slot's batches really ran ({@link ServiceTimes}; on 2 CPU
 *       cores the pipeline delivers about 10 % less than the bare loop, and planning from the bare loop made the
 *       policy believe small batches keep up when they did not). Idle traffic gives 1: a request runs at once.
 *       Heavy traffic gives bigger batches, because smaller ones could not keep up and the queue would grow.</li>
 *   <li><b>Wait</b>: with fewer than that queued and the generator idle, wait for the expected arrivals, but
 *       never so long that the oldest request would miss the target, and never longer than the fixed policy's
 *       {@code max_wait_ms} for the bucket (a wait that long buys a bigger batch only where a batch costs little
 *       more than one request, and the cap bounds what a wrong rate estimate costs). As arrivals stop, the measured rate falls
 *       and so does the batch worth waiting for.</li>
 * </ul>
 * Buckets the profile does not cover fall back to the fixed policy.
 */
public record AdaptivePolicy(BatchProfile profile, long latencyTargetMs, FixedWaitPolicy fallback)
        implements BatchingPolicy {

    /** Batch sizes within this fraction of the best throughput count as equally fast; the smallest wins. */
    static final double NEAR_BEST = 0.97;
    /** How much faster than the arrivals a batch size must serve to count as keeping up. */
    static final double HEADROOM = 1.1;
    /** Measured slow-downs outside this range are taken as noise (a batch stalled by a GC, a checkpoint). */
    static final double MIN_SLOWDOWN = 0.5;
    static final double MAX_SLOWDOWN = 4;

    public AdaptivePolicy {
        if (latencyTargetMs <= 0) {
            throw new IllegalArgumentException("adaptive batching needs latency_target_ms > 0");
        }
    }

    /** b* for a bucket the profile covers. */
    public int batchSize(VideoSize size) {
        List<BatchProfile.Point> points = profile.points(size);
        double budget = latencyTargetMs / 2.0;
        double best = 0;
        for (BatchProfile.Point p : points) {
            if (p.batchMs() <= budget || p == points.get(0)) {
                best = Math.max(best, p.videosPerSecond());
            }
        }
        for (BatchProfile.Point p : points) {
            if ((p.batchMs() <= budget || p == points.get(0)) && p.videosPerSecond() >= NEAR_BEST * best) {
                return p.batch();
            }
        }
        return points.get(0).batch();
    }

    /**
     * How much longer this slot's batches take than the profile says: the mean of measured / profiled time over
     * the batch sizes measured so far, 1 before any was.
     */
    double slowdown(VideoSize size, ServiceTimes measured) {
        if (measured.isEmpty()) {
            return 1;
        }
        double sum = 0;
        for (var e : measured.all().entrySet()) {
            sum += e.getValue() / profile.batchMs(size, e.getKey());
        }
        double ratio = sum / measured.all().size();
        return Math.max(MIN_SLOWDOWN, Math.min(MAX_SLOWDOWN, ratio));
    }

    /** The smallest batch, up to {@code max}, whose throughput keeps up with {@code arrivalsPerSecond}. */
    int batchForLoad(VideoSize size, double arrivalsPerSecond, int max, double slowdown) {
        for (int b = 1; b < max; b++) {
            if (b * 1000 / (slowdown * profile.batchMs(size, b)) >= HEADROOM * arrivalsPerSecond) {
                return b;
            }
        }
        return max;
    }

    int batchForLoad(VideoSize size, double arrivalsPerSecond, int max) {
        return batchForLoad(size, arrivalsPerSecond, max, 1);
    }

    @Override
    public int maxBatch(VideoSize size) {
        return profile.covers(size) ? batchSize(size) : fallback.maxBatch(size);
    }

    @Override
    public Decision decide(VideoSize size, BucketLoad load) {
        if (!profile.covers(size)) {
            return fallback.decide(size, load);
        }
        int queued = load.queued();
        int max = batchSize(size);
        if (queued >= max) {
            return Decision.run(max);
        }
        double slowdown = slowdown(size, load.measured());
        int wanted = batchForLoad(size, load.arrivalsPerSecond(), max, slowdown);
        if (queued >= wanted) {
            return Decision.run(queued);
        }
        double waitedMs = load.oldestWaitNanos() / 1e6;
        // wanted > queued >= 1 implies arrivals > 0
        double fillMs = (wanted - queued) * 1000 / load.arrivalsPerSecond();
        double slackMs = Math.min(latencyTargetMs - slowdown * profile.batchMs(size, wanted),
                fallback.limits(size).maxWaitMs()) - waitedMs;
        if (fillMs <= slackMs) {
            return Decision.waitFor((long) (Math.min(fillMs * 1.5, slackMs) * 1e6));
        }
        return Decision.run(queued);
    }
}
