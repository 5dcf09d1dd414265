package io.cogflow.simulator;

import io.cogflow.model.pipeline.BatchProfile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A yardstick for what any batching policy could still gain under a profile's costs: a slot on which every video
 * costs its bucket's <em>best</em> per-video time (the measured batch with the highest throughput, divided by its
 * size) and starts the moment the slot is free, one at a time in arrival order. Run it as policy {@code none} on
 * {@link #profile}.
 *
 * <p>No real schedule is that good: the best per-video cost needs a full batch, and a full batch needs requests
 * to wait for each other (request-level batching) or to share the slot's steps and so run slower (continuous
 * batching). A request never waits here for a batch to form, never waits for a slower one, and never pays a small
 * batch's higher cost per video. Its latencies are therefore optimistic for every policy that serves in arrival
 * order or shares fairly; a policy could beat its percentiles only by starving some requests, which the policies
 * here do not (continuous batching ages priorities). Comparing a target with it says whether the target is
 * reachable under these costs at all.
 */
public final class BestCase {

    private BestCase() {
    }

    /**
     * The profile of that slot: per bucket one point at batch 1 with the best measured point's batch, denoise and
     * decode times divided by its batch size (beyond batch 1 a profile scales per video, so the costs stay the best
     * per video at any batch).
     */
    public static BatchProfile profile(BatchProfile measured) {
        Map<String, List<BatchProfile.Point>> buckets = new LinkedHashMap<>();
        for (Map.Entry<String, List<BatchProfile.Point>> e : measured.buckets().entrySet()) {
            BatchProfile.Point best = e.getValue().get(0);
            for (BatchProfile.Point p : e.getValue()) {
                if (p.videosPerSecond() > best.videosPerSecond()) {
                    best = p;
                }
            }
            double b = best.batch();
            buckets.put(e.getKey(), List.of(new BatchProfile.Point(1, best.batchMs() / b, best.denoiseMs() / b,
                    best.decodeMs() / b)));
        }
        return new BatchProfile(measured.model(), measured.machine(), measured.measured(), measured.steps(),
                measured.guidance(), buckets);
    }
}
