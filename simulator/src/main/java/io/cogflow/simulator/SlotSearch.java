package io.cogflow.simulator;

import java.util.List;

/**
 * The fewest slots that serve a workload within a p95 end-to-end latency target: a doubling search for a slot
 * count that meets it, then bisection below it. A count meets the target when, over the workload's arrivals, p95
 * is at most the target and the queue does not grow, and its simulated {@link Capacity} exceeds the workload's
 * rate. The last condition matters near saturation: a run of a few hours at 100.5 % of capacity still shows a
 * modest p95 (the queue grows only slowly), but in a steady state it grows without bound. The search assumes that
 * more slots never make things worse, which holds for these policies up to simulation noise.
 *
 * @param slots    the fewest slots found to meet the target
 * @param capacity the simulated capacity at that many slots, videos per second
 * @param result   the run at that many slots
 * @param tried    every slot count simulated, in order, for the report
 */
public record SlotSearch(int slots, double capacity, Result result, List<Integer> tried) {

    static final int MAX_SLOTS = 1 << 16;

    public static SlotSearch of(Service service, Workload workload, double p95TargetMs) {
        if (!(p95TargetMs > 0)) {
            throw new IllegalArgumentException("the p95 target must be positive, got " + p95TargetMs);
        }
        List<SimRequest> arrivals = workload.generate();
        List<Integer> tried = new java.util.ArrayList<>();
        int lo = 0; // fails (no slots)
        int hi = 1;
        Candidate atHi;
        while (true) {
            tried.add(hi);
            atHi = Candidate.of(service.withSlots(hi), workload, arrivals, p95TargetMs);
            if (atHi.meets()) {
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
            Candidate c = Candidate.of(service.withSlots(mid), workload, arrivals, p95TargetMs);
            if (c.meets()) {
                hi = mid;
                atHi = c;
            } else {
                lo = mid;
            }
        }
        return new SlotSearch(hi, atHi.capacity(), atHi.result(), List.copyOf(tried));
    }

    /** One slot count's run, and its capacity when the run met the latency target (else NaN: not needed). */
    private record Candidate(Result result, double capacity, double rate) {
        static Candidate of(Service s, Workload w, List<SimRequest> arrivals, double p95TargetMs) {
            Result r = new Simulation(s).run(arrivals);
            boolean latencyOk = !r.queueGrows() && r.latencyMs().p95() <= p95TargetMs;
            return new Candidate(r, latencyOk ? Capacity.of(s, w) : Double.NaN, w.ratePerSecond());
        }

        boolean meets() {
            return capacity > rate; // NaN when the latency missed: false
        }
    }
}
