package io.cogflow.bench;

import java.util.SplittableRandom;

/**
 * Open-loop arrival times: exponential gaps at a fixed rate, independent of how fast the service answers (a
 * closed loop would slow down with the service and hide its queueing). Seeded, so every policy sees the same
 * arrival pattern.
 */
public final class PoissonArrivals {
    private final double perSecond;
    private final SplittableRandom random;

    public PoissonArrivals(double perSecond, long seed) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("arrival rate must be positive, got " + perSecond);
        }
        this.perSecond = perSecond;
        this.random = new SplittableRandom(seed);
    }

    /**
     * Offsets in nanoseconds from the start for {@code count} arrivals, cut at {@code maxSeconds}. The gaps are
     * exponential and then scaled so that their mean is exactly 1/rate: a short run offers the rate it is asked
     * for, and runs at different rates with the same seed differ only in speed, not in the pattern.
     */
    public long[] offsets(int count, double maxSeconds) {
        double[] gaps = new double[count];
        double sum = 0;
        for (int i = 0; i < count; i++) {
            gaps[i] = -Math.log(1 - random.nextDouble());
            sum += gaps[i];
        }
        double scale = count / sum / perSecond;
        long[] out = new long[count];
        double t = 0;
        int n = 0;
        while (n < count) {
            t += gaps[n] * scale;
            if (t > maxSeconds) {
                break;
            }
            out[n++] = (long) (t * 1e9);
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
