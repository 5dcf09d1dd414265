package io.cogflow.job.batching;

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
 *   <li><b>Batch for the current load</b>: the smallest batch whose throughput (from the profile) keeps up with
 *       the bucket's measured arrival rate with 10 % headroom. Idle traffic gives 1: a request runs at once.
 *       Heavy traffic gives bigger batches, because smaller ones could not keep up and the queue would grow.</li>
 *   <li><b>Wait</b>: with fewer than that queued and the generator idle, wait for the expected arrivals, but
 *       never so long that the oldest request would miss the target. As arrivals stop, the measured rate falls
 *       and so does the batch worth waiting for.</li>
 * </ul>
 * Buckets the profile does not cover fall back to the fixed policy.
 */
public record AdaptivePolicy(BatchProfile profile, long latencyTargetMs, BatchingPolicy fallback)
        implements BatchingPolicy {

    /** Batch sizes within this fraction of the best throughput count as equally fast; the smallest wins. */
    static final double NEAR_BEST = 0.97;
    /** How much faster than the arrivals a batch size must serve to count as keeping up. */
    static final double HEADROOM = 1.1;

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

    /** The smallest batch, up to {@code max}, whose throughput keeps up with {@code arrivalsPerSecond}. */
    int batchForLoad(VideoSize size, double arrivalsPerSecond, int max) {
        for (int b = 1; b < max; b++) {
            if (b * 1000 / profile.batchMs(size, b) >= HEADROOM * arrivalsPerSecond) {
                return b;
            }
        }
        return max;
    }

    @Override
    public int maxBatch(VideoSize size) {
        return profile.covers(size) ? batchSize(size) : fallback.maxBatch(size);
    }

    @Override
    public Decision decide(VideoSize size, int queued, long oldestWaitNanos, double arrivalsPerSecond) {
        if (!profile.covers(size)) {
            return fallback.decide(size, queued, oldestWaitNanos, arrivalsPerSecond);
        }
        int max = batchSize(size);
        if (queued >= max) {
            return Decision.run(max);
        }
        int wanted = batchForLoad(size, arrivalsPerSecond, max);
        if (queued >= wanted) {
            return Decision.run(queued);
        }
        double waitedMs = oldestWaitNanos / 1e6;
        double fillMs = (wanted - queued) * 1000 / arrivalsPerSecond; // wanted > queued ≥ 1 implies arrivals > 0
        double slackMs = latencyTargetMs - waitedMs - profile.batchMs(size, wanted);
        if (fillMs <= slackMs) {
            return Decision.waitFor((long) (Math.min(fillMs * 1.5, slackMs) * 1e6));
        }
        return Decision.run(queued);
    }
}
