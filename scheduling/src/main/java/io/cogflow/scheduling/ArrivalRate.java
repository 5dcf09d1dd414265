package io.cogflow.scheduling;

/**
 * A bucket's recent arrival rate: an exponentially weighted mean of the gaps between arrivals. The time since the
 * last arrival counts as a gap too, so the rate falls as soon as traffic stops instead of holding its last value.
 * Not thread-safe; the batcher guards it.
 */
final class ArrivalRate {
    /** Weight of the newest gap: about the last ten arrivals matter. */
    private static final double ALPHA = 0.2;

    private long lastNanos = -1;
    private double meanGapNanos = Double.NaN;

    void arrived(long nanos) {
        if (lastNanos >= 0) {
            double gap = Math.max(1, nanos - lastNanos);
            meanGapNanos = Double.isNaN(meanGapNanos) ? gap : meanGapNanos + ALPHA * (gap - meanGapNanos);
        }
        lastNanos = nanos;
    }

    /** Arrivals per second at {@code nowNanos}; 0 until two arrivals were seen. */
    double perSecond(long nowNanos) {
        if (Double.isNaN(meanGapNanos)) {
            return 0;
        }
        double gap = Math.max(meanGapNanos, nowNanos - lastNanos);
        return 1e9 / gap;
    }
}
