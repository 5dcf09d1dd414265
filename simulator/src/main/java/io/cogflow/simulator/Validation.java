package io.cogflow.simulator;

import java.util.List;

/**
 * The simulator against a measurement: one level of {@code cogflow bench load} (a policy at a load, its arrivals
 * as they were sent) replayed through the simulated service, and the end-to-end percentiles side by side.
 *
 * @param measuredP50Ms the load benchmark's end-to-end p50 for the level
 * @param predicted     the simulated run over the same arrivals
 * @param bestCase      the same arrivals on the {@link BestCase} slot: what no policy under these costs beats
 *                      without starving someone
 */
public record Validation(String policy, double load, double measuredP50Ms, double measuredP95Ms, Result predicted,
                         Result bestCase) {

    /** predicted / measured − 1 of the p50. */
    public double p50Error() {
        return predicted.latencyMs().p50() / measuredP50Ms - 1;
    }

    public double p95Error() {
        return predicted.latencyMs().p95() / measuredP95Ms - 1;
    }

    /** Both percentiles predicted within {@code tolerance} (0.2: 20 %) of the measurement. */
    public boolean within(double tolerance) {
        return Math.abs(p50Error()) <= tolerance && Math.abs(p95Error()) <= tolerance;
    }

    /** The arrivals of a measured level as simulated requests, in the order they were sent. */
    public static List<SimRequest> requests(List<MeasuredArrival> sent) {
        List<SimRequest> out = new java.util.ArrayList<>();
        for (MeasuredArrival a : sent) {
            out.add(new SimRequest(out.size(), Math.round(a.sentMs() * 1e6), a.size(), a.steps(), 0));
        }
        return out;
    }

    /** A request as the load benchmark sent it. */
    public record MeasuredArrival(double sentMs, io.cogflow.model.pipeline.VideoSize size, int steps) {
    }
}
