package io.cogflow.scheduling;

import java.util.Arrays;
import java.util.List;

/**
 * Nearest-rank percentiles of a sample (NaN values are missing and left out). The load benchmark reports measured
 * latencies with it and the serving simulator predicted ones, so the two reports compare field by field.
 */
public record Percentiles(int count, double p50, double p95, double p99, double max) {

    public static Percentiles of(List<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public static Percentiles of(double[] values) {
        double[] s = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (s.length == 0) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Percentiles(s.length, rank(s, 0.50), rank(s, 0.95), rank(s, 0.99), s[s.length - 1]);
    }

    private static double rank(double[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    @Override
    public String toString() {
        return Arrays.toString(new double[]{p50, p95, p99});
    }
}
