package io.cogflow.simulator;

import io.cogflow.model.pipeline.BatchProfile;
import io.cogflow.model.pipeline.VideoSize;

/**
 * The capacity of a service for a workload: the sustained throughput at saturation, simulated with the service's
 * own policy and routing (not a formula: how well a policy batches under overload is what differs between them).
 * The overload offers twice what the slots could serve at each bucket's best measured per-video cost, without
 * bursts (at saturation they change nothing), with at least {@value #REQUESTS_PER_SLOT} requests per slot so
 * every slot reaches its steady state.
 */
public final class Capacity {

    static final int REQUESTS_PER_SLOT = 50;
    static final double OVERLOAD = 2;

    private Capacity() {
    }

    /** Videos per second the service sustains under {@code workload}'s mix. */
    public static double of(Service service, Workload workload) {
        int requests = Math.max(workload.requests(), REQUESTS_PER_SLOT * service.slots());
        Workload overload = new Workload(OVERLOAD * bound(service, workload), null, workload.sizes(),
                workload.steps(), workload.priorities(), requests, Double.POSITIVE_INFINITY, workload.seed());
        return new Simulation(service).saturatedRate(overload.generate());
    }

    /**
     * An upper bound on the service's rate: every slot at each bucket's cheapest measured per-video time, scaled
     * by the mix's mean steps over the profile's (denoising dominates a generation).
     */
    static double bound(Service service, Workload workload) {
        BatchProfile p = service.costs().profile();
        double secondsPerVideo = workload.sizes().mean(size -> bestSecondsPerVideo(p, size))
                * Math.max(0.05, workload.steps().mean(s -> s) / p.steps());
        return service.slots() / secondsPerVideo;
    }

    private static double bestSecondsPerVideo(BatchProfile p, VideoSize size) {
        return p.points(size).stream().mapToDouble(pt -> pt.batchMs() / pt.batch() / 1000).min().orElseThrow();
    }
}
