package io.cogflow.bench;

import io.cogflow.scheduling.Percentiles;

import java.util.List;
import java.util.Locale;

/**
 * Whether a load level overloaded the service, decided from measurements: percentiles taken while a queue grows
 * describe the length of the run, not latency at that load, so such a level must not be read as one. Two signs,
 * either suffices:
 * <ul>
 *   <li>the achieved rate falls short of the offered one ({@code achieved / offered < MIN_RATIO}): requests came
 *       in faster than results went out;</li>
 *   <li>queueing time rises through the level: the median queueing time of the last third of the requests (in
 *       arrival order) exceeds the first third's by more than {@code MIN_RISE_MS} and by more than
 *       {@code MIN_RISE_FACTOR} times. A stable queue's waits fluctuate, but do not trend; requiring both an
 *       absolute and a relative rise keeps a level whose waits go from 50 to 300 ms (noise at the batcher's
 *       timescale) or from 3.0 to 4.2 s (a busy but stable queue) from being flagged.</li>
 * </ul>
 */
public record QueueGrowth(boolean grows, double ratio, double firstThirdQueueMs, double lastThirdQueueMs) {
    public static final double MIN_RATIO = 0.95;
    public static final double MIN_RISE_MS = 1000;
    public static final double MIN_RISE_FACTOR = 2;

    /** The rule in one line, for the printed header. */
    public static String rule() {
        return String.format(Locale.ROOT, "QUEUE GROWS when achieved/offered < %.2f, or the median queueing time of "
                + "the last third of a level's requests exceeds the first third's by > %.0f ms and > %.0fx",
                MIN_RATIO, MIN_RISE_MS, MIN_RISE_FACTOR);
    }

    /**
     * @param ratio            achieved / offered
     * @param queueMsByArrival queueing times of the level's completed requests in arrival order (NaN: not reported)
     */
    public static QueueGrowth judge(double ratio, List<Double> queueMsByArrival) {
        int third = queueMsByArrival.size() / 3;
        double first = third == 0 ? Double.NaN
                : Percentiles.of(queueMsByArrival.subList(0, third)).p50();
        double last = third == 0 ? Double.NaN
                : Percentiles.of(queueMsByArrival.subList(queueMsByArrival.size() - third, queueMsByArrival.size()))
                .p50();
        boolean rising = last - first > MIN_RISE_MS && last > MIN_RISE_FACTOR * first; // false if either is NaN
        return new QueueGrowth(ratio < MIN_RATIO || rising, ratio, first, last);
    }
}
