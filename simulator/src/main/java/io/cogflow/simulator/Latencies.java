package io.cogflow.simulator;

import java.util.Arrays;

/**
 * Nearest-rank percentiles in milliseconds, with the same fields and rule as the load benchmark's
 * {@code io.cogflow.bench.Percentiles}, so the two reports compare field by field.
 */
public record Latencies(int count, double p50, double p95, double p99, double max) {

    public static Latencies ofMs(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        if (s.length == 0) {
            return new Latencies(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Latencies(s.length, rank(s, 0.50), rank(s, 0.95), rank(s, 0.99), s[s.length - 1]);
    }

    private static double rank(double[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
