package io.cogflow.simulator;

import java.util.Map;

/**
 * One simulated run, in the load benchmark's units (latencies in ms, rates per second), so a {@code --json}
 * report of {@code cogflow simulate} compares with {@code cogflow bench load}'s level by level.
 *
 * @param load               offered load as a fraction of the capacity (NaN: a rate or trace, not a sweep level)
 * @param offeredPerSecond   requests / time of the last arrival (as the load benchmark computes it)
 * @param achievedPerSecond  results / time of the last result becoming visible, from the start
 * @param latencyMs          end to end: arrival → result visible (after its checkpoint)
 * @param queueMs            arrival at its slot → start of its batch (request level) or of its admission
 *                           (continuous)
 * @param busyFraction       mean over slots of the time spent working / the run's length (first arrival to last
 *                           work done)
 * @param meanBatch          request level: the mean size of the batch a request ran in (per request, as the load
 *                           benchmark reports it); continuous: the mean running-set size per step
 * @param work               how many of each kind of work the slots' schedulers handed out (generate, admit, step,
 *                           decode, idle)
 * @param queueGrows         achieved / offered below 0.95, or the last third's mean queueing more than twice the
 *                           first third's plus a mean generation: the service did not keep up
 * @param simulatedSeconds   from the first arrival to the last result visible
 * @param wallMs             how long the simulation itself ran
 */
public record Result(String policy, String routing, int slots, double load, int requests,
                     double offeredPerSecond, double achievedPerSecond, Latencies latencyMs, Latencies queueMs,
                     double busyFraction, double meanBatch, Map<String, Long> work, boolean queueGrows,
                     double simulatedSeconds, double wallMs) {

    public double achievedOverOffered() {
        return achievedPerSecond / offeredPerSecond;
    }

    public Result atLoad(double fraction) {
        return new Result(policy, routing, slots, fraction, requests, offeredPerSecond, achievedPerSecond, latencyMs,
                queueMs, busyFraction, meanBatch, work, queueGrows, simulatedSeconds, wallMs);
    }
}
