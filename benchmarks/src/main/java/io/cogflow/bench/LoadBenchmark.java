package io.cogflow.bench;

import io.cogflow.job.JobConfig;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.schemas.Status;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark 3: latency under load. Measures the service's capacity (a burst drained with the adaptive policy),
 * then for each batching policy offers open-loop Poisson traffic at fractions of that capacity and reports
 * end-to-end latency (send → result visible to a read_committed consumer) and queueing time (arrival at the
 * generator → start of its batch) percentiles.
 */
public final class LoadBenchmark {

    /** What to run; {@code policies} are batching.policy values (none, fixed, adaptive). */
    public record Settings(JobConfig base, List<VideoSize> sizes, int steps, double guidance, List<String> policies,
                           double[] loads, int requestsPerLevel, double maxSecondsPerLevel, int capacityRequests,
                           long seed, Path workDir) {
    }

    /** One (policy, load) point. */
    public record Level(String policy, double load, double offeredPerSecond, double achievedPerSecond, int sent,
                        int completed, int failed, Percentiles latencyMs, Percentiles queueMs, double meanBatch) {
    }

    public record Report(double capacityPerSecond, List<Level> levels) {
    }

    private final Settings s;
    private final PrintWriter out;
    private int next;

    public LoadBenchmark(Settings settings, PrintWriter out) {
        this.s = settings;
        this.out = out;
    }

    public Report run() throws Exception {
        double capacity = Double.NaN;
        List<Level> levels = new ArrayList<>();
        List<String> order = new ArrayList<>(s.policies());
        // capacity is measured with the adaptive policy when it is in the run (its batches are the efficient ones)
        order.sort((a, b) -> Boolean.compare(!a.equals("adaptive"), !b.equals("adaptive")));
        for (String policy : order) {
            JobConfig.Batching b = s.base().batching();
            JobConfig config = s.base().withBatching(new JobConfig.Batching(policy, b.defaults(), b.buckets(),
                    b.profile(), b.latencyTargetMs()));
            try (ServingHarness h = ServingHarness.open(config, s.workDir().resolve("claims"))) {
                h.startJob();
                warmUp(h);
                if (Double.isNaN(capacity)) {
                    capacity = capacity(h);
                    out.printf(Locale.ROOT, "capacity (burst of %d, policy %s): %.2f videos/s%n%n",
                            s.capacityRequests(), policy, capacity);
                    out.printf(Locale.ROOT, "%-9s %5s %8s %8s %6s %8s %8s %8s %8s %8s %8s %6s%n", "policy", "load",
                            "offered", "achieved", "done", "e2e p50", "p95", "p99", "queue50", "queue95", "queue99",
                            "batch");
                    out.flush();
                }
                for (double load : s.loads()) {
                    Level l = level(h, policy, load, capacity);
                    levels.add(l);
                    out.printf(Locale.ROOT, "%-9s %4.0f%% %8.2f %8.2f %6s %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f %6.2f%n",
                            policy, 100 * load, l.offeredPerSecond(), l.achievedPerSecond(),
                            l.completed() + "/" + l.sent(), l.latencyMs().p50() / 1000, l.latencyMs().p95() / 1000,
                            l.latencyMs().p99() / 1000, l.queueMs().p50() / 1000, l.queueMs().p95() / 1000,
                            l.queueMs().p99() / 1000, l.meanBatch());
                    out.flush();
                }
            }
        }
        return new Report(capacity, levels);
    }

    private void warmUp(ServingHarness h) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        for (VideoSize size : s.sizes()) {
            for (int i = 0; i < 2; i++) {
                ids.add(send(h, "warm", size));
            }
        }
        h.flush();
        require(h.await(ids, Duration.ofMinutes(5)), ids.size(), "warm-up");
    }

    private double capacity(ServingHarness h) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < s.capacityRequests(); i++) {
            ids.add(send(h, "cap", s.sizes().get(i % s.sizes().size())));
        }
        h.flush();
        require(h.await(ids, Duration.ofMinutes(30)), ids.size(), "capacity burst");
        return ServingHarness.steadyRate(h.timings(ids));
    }

    private Level level(ServingHarness h, String policy, double load, double capacity) throws InterruptedException {
        double rate = load * capacity;
        long[] offsets = new PoissonArrivals(rate, s.seed())
                .offsets(s.requestsPerLevel(), s.maxSecondsPerLevel());
        List<String> ids = new ArrayList<>();
        long start = System.nanoTime();
        for (long offset : offsets) {
            long wait = start + offset - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            ids.add(send(h, policy + "-" + Math.round(load * 100), s.sizes().get(ids.size() % s.sizes().size())));
            h.flush(); // open loop: each request leaves when it is due, not in a batch of sends
        }
        int done = h.await(ids, Duration.ofSeconds((long) (s.maxSecondsPerLevel() * 4 + 120)));
        List<ServingHarness.Timing> t = h.timings(ids);
        long lastResult = t.stream().mapToLong(ServingHarness.Timing::receivedNanos).max().orElse(start);
        double seconds = (lastResult - start) / 1e9;
        int failed = (int) t.stream().filter(x -> x.status() != Status.SUCCEEDED).count();
        return new Level(policy, load, offsets.length / (offsets.length == 0 ? 1 : offsets[offsets.length - 1] / 1e9),
                done / seconds, ids.size(), done, failed,
                Percentiles.of(t.stream().map(ServingHarness.Timing::latencyMs).toList()),
                Percentiles.of(t.stream().map(ServingHarness.Timing::queueMs).toList()),
                t.stream().mapToInt(ServingHarness.Timing::batchSize).average().orElse(Double.NaN));
    }

    private String send(ServingHarness h, String prefix, VideoSize size) {
        int n = next++;
        String id = prefix + "-" + n;
        h.send(id, BenchPrompts.get(n), size, s.steps(), s.guidance(), s.seed() + n);
        return id;
    }

    private static void require(int got, int wanted, String what) {
        if (got < wanted) {
            throw new IllegalStateException(what + ": only " + got + " of " + wanted + " results arrived");
        }
    }

    /** The latency-against-load plot: p50 and p95 end-to-end latency per policy. */
    public static void plot(Report r, Path png) {
        List<Charts.Line> lines = new ArrayList<>();
        for (String policy : r.levels().stream().map(Level::policy).distinct().toList()) {
            List<Level> ls = r.levels().stream().filter(l -> l.policy().equals(policy)).toList();
            List<Double> x = ls.stream().map(l -> 100 * l.load()).toList();
            lines.add(new Charts.Line(policy + " p50", x, ls.stream().map(l -> l.latencyMs().p50() / 1000).toList()));
            lines.add(new Charts.Line(policy + " p95", x, ls.stream().map(l -> l.latencyMs().p95() / 1000).toList()));
        }
        Charts.write(png, String.format(Locale.ROOT, "End-to-end latency against load (capacity %.2f videos/s)",
                r.capacityPerSecond()), "offered load, % of capacity", "latency, s", false, lines);
    }
}
