package io.cogflow.bench.model;

import java.util.ArrayList;
import java.util.List;

/** Times a call: two warm-up calls (graph build, allocator), then at least minRuns calls and minSeconds. */
public record Timer(int minRuns, double minSeconds) {

    public record Measurement(double medianMs, double minMs, int runs) {
    }

    public Measurement measure(Runnable call) {
        call.run();
        call.run();
        List<Double> ms = new ArrayList<>();
        long start = System.nanoTime();
        while (ms.size() < minRuns || (System.nanoTime() - start) / 1e9 < minSeconds) {
            long t0 = System.nanoTime();
            call.run();
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Measurement(sorted[sorted.length / 2], sorted[0], sorted.length);
    }
}
