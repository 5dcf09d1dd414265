package io.cogflow.simulator;

import java.util.List;

/**
 * The fewest slots that serve a workload within a p95 end-to-end latency target without the queue growing: a
 * doubling search for a slot count that meets it, then bisection below it. It assumes that more slots never make
 * p95 worse, which holds for the policies here up to simulation noise; the answer is checked to meet the target.
 *
 * @param slots  the fewest slots found to meet the target
 * @param result the run at that many slots
 * @param tried  every slot count simulated, in order, for the report
 */
public record SlotSearch(int slots, Result result, List<Integer> tried) {

    static final int MAX_SLOTS = 1 << 16;

    public static SlotSearch of(Service service, List<SimRequest> arrivals, double p95TargetMs) {
        if (!(p95TargetMs > 0)) {
            throw new IllegalArgumentException("the p95 target must be positive, got " + p95TargetMs);
        }
        List<Integer> tried = new java.util.ArrayList<>();
        int lo = 0; // fails (no slots)
        int hi = 1;
        Result atHi;
        while (true) {
            tried.add(hi);
            atHi = new Simulation(service.withSlots(hi)).run(arrivals);
            if (meets(atHi, p95TargetMs)) {
                break;
            }
            if (hi >= MAX_SLOTS) {
                throw new IllegalArgumentException("even " + MAX_SLOTS + " slots miss the p95 target");
            }
            lo = hi;
            hi = Math.min(MAX_SLOTS, hi * 2);
        }
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            tried.add(mid);
            Result r = new Simulation(service.withSlots(mid)).run(arrivals);
            if (meets(r, p95TargetMs)) {
                hi = mid;
                atHi = r;
            } else {
                lo = mid;
            }
        }
        return new SlotSearch(hi, atHi, List.copyOf(tried));
    }

    static boolean meets(Result r, double p95TargetMs) {
        return !r.queueGrows() && r.latencyMs().p95() <= p95TargetMs;
    }
}
