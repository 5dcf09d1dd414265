package io.cogflow.bench;

import io.cogflow.job.JobConfig;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.scheduling.Percentiles;
import io.cogflow.schemas.Status;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark 3: latency under load. Measures the service's sustained capacity ({@link SustainedCapacity}), then for
 * each batching policy offers open-loop Poisson traffic at fractions of that capacity and reports, per level, the
 * offered and achieved rates, whether the queue grew ({@link QueueGrowth}), end-to-end latency (send → result
 * visible to a read_committed consumer) and queueing time (arrival at the generator → start of its batch)
 * percentiles. A level whose queue grows is flagged: its percentiles measure the run's length, not that load.
 */
public final class LoadBenchmark {

    /**
     * What to run. {@code policies} and {@code capacityPolicy} are batching.policy values, passed to
     * {@link JobConfig.Batching} as they are (it knows which exist).
     */
    public record Settings(JobConfig base, List<VideoSize> sizes, StepsMix steps, double guidance,
                           List<String> policies, double[] loads, int requestsPerLevel, double maxSecondsPerLevel,
                           String capacityPolicy, double capacitySeconds, long seed, Path workDir) {
    }

    /**
     * One (policy, load) point. Rates are per second, times in ms.
     *
     * @param offeredPerSecond    requests sent over the arrival window (level start → last send)
     * @param achievedPerSecond   results of the window's arrivals over the time they took to come out
     *                            ({@link Throughput#overArrivals}: the arrival window stretched by the latency
     *                            trend, not by the drain); failed results count too (the service processed them)
     * @param achievedOverOffered below {@link QueueGrowth#MIN_RATIO}: the service fell behind
     * @param queueGrows          {@link QueueGrowth}: the percentiles of this level describe a growing queue
     * @param queueFirstThirdMs   median queueing time of the first third of the requests (arrival order)
     * @param queueLastThirdMs    the same for the last third
     * @param arrivals            what was sent when, so {@code cogflow simulate --validate} can replay exactly
     *                            these arrivals
     */
    public record Level(String policy, double load, double offeredPerSecond, double achievedPerSecond,
                        double achievedOverOffered, boolean queueGrows, int sent, int completed, int failed,
                        Percentiles latencyMs, Percentiles queueMs, double queueFirstThirdMs,
                        double queueLastThirdMs, double meanBatch, List<Arrival> arrivals) {
    }

    /** One request of a level: when it was sent (ms after the level's start), its size and its steps. */
    public record Arrival(double sentMs, String size, int steps) {
    }

    /** The run: the capacity the loads are fractions of, how it was measured, and every level. */
    public record Report(SustainedCapacity.Capacity capacity, String queueGrowthRule, List<Level> levels) {
    }

    /**
     * The capacity run's step counts repeat in blocks of this many requests (its length is set in seconds, not
     * requests); each block holds the mix exactly.
     */
    private static final int STEPS_BLOCK = 100;

    private final Settings s;
    private final PrintWriter out;
    private int next;

    public LoadBenchmark(Settings settings, PrintWriter out) {
        this.s = settings;
        this.out = out;
    }

    public Report run() throws Exception {
        // every name goes through JobConfig.Batching (which knows the policies and spells them one way) before
        // the first broker starts: a typo should not cost a capacity run
        List<String> order = new ArrayList<>(new LinkedHashSet<>(s.policies().stream().map(this::policyName)
                .toList()));
        String capacityPolicy = policyName(s.capacityPolicy());
        // the capacity policy runs first so that its harness measures the capacity and then its own levels
        order.sort((a, b) -> Boolean.compare(!a.equals(capacityPolicy), !b.equals(capacityPolicy)));
        SustainedCapacity.Capacity capacity = null;
        if (!order.contains(capacityPolicy)) {
            try (ServingHarness h = start(capacityPolicy)) {
                capacity = capacity(h);
            }
        }
        List<Level> levels = new ArrayList<>();
        for (String policy : order) {
            try (ServingHarness h = start(policy)) {
                if (capacity == null) {
                    capacity = capacity(h);
                }
                for (double load : s.loads()) {
                    Level l = level(h, policy, load, capacity.perSecond());
                    levels.add(l);
                    out.printf(Locale.ROOT, "%-10s %4.0f%% %8.2f %8.2f %6.2f %7s %8.2f %8.2f %8.2f %8.2f %8.2f "
                                    + "%8.2f %6.2f  %s%n", policy, 100 * l.load(), l.offeredPerSecond(),
                            l.achievedPerSecond(), l.achievedOverOffered(), l.completed() + "/" + l.sent(),
                            l.latencyMs().p50() / 1000, l.latencyMs().p95() / 1000, l.latencyMs().p99() / 1000,
                            l.queueMs().p50() / 1000, l.queueMs().p95() / 1000, l.queueMs().p99() / 1000,
                            l.meanBatch(), flag(l));
                    out.flush();
                }
            }
        }
        return new Report(capacity, QueueGrowth.rule(), levels);
    }

    private static String flag(Level l) {
        String grows = l.queueGrows() ? "QUEUE GROWS" : "";
        return l.failed() > 0 ? (grows + " " + l.failed() + " FAILED").trim() : grows;
    }

    private String policyName(String policy) {
        return config(policy).batching().policy();
    }

    private JobConfig config(String policy) {
        JobConfig.Batching b = s.base().batching();
        return s.base().withBatching(new JobConfig.Batching(policy, b.defaults(), b.buckets(), b.profile(),
                b.latencyTargetMs()));
    }

    private ServingHarness start(String policy) throws Exception {
        ServingHarness h = ServingHarness.open(config(policy), s.workDir().resolve("claims"));
        try {
            h.startJob();
            warmUp(h);
            return h;
        } catch (Exception | Error e) {
            try {
                h.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** Measures the capacity and prints the table's header: how it was measured, the growth rule, the columns. */
    private SustainedCapacity.Capacity capacity(ServingHarness h) throws InterruptedException {
        JobConfig.Generation g = h.config().generation();
        // twice what the generator holds: see SustainedCapacity.measure
        int outstanding = 2 * g.slots() * g.maxInFlightPerSlot();
        int[] steps = s.steps().assign(STEPS_BLOCK, s.seed());
        SustainedCapacity.Capacity c = SustainedCapacity.measure(h, h.config().batching().policy(), outstanding,
                s.capacitySeconds(), n -> send(h, "cap", s.sizes().get(n % s.sizes().size()), steps[n % STEPS_BLOCK]));
        if (!(c.perSecond() > 0)) {
            throw new IllegalStateException("capacity: the steady window of the closed loop held fewer than two "
                    + "commits (" + c.method() + "); give it more seconds");
        }
        out.printf(Locale.ROOT, "capacity %.2f videos/s: %s%nsteps mix %s; offered = a level's requests over its "
                        + "arrival window, achieved = its results over that window stretched by the rise in median "
                        + "latency from its first to its last %d requests (the drain tail does not count)%n%s%n%n",
                c.perSecond(), c.method(), s.steps(), Throughput.END_REQUESTS, QueueGrowth.rule());
        out.printf(Locale.ROOT, "%-10s %5s %8s %8s %6s %7s %8s %8s %8s %8s %8s %8s %6s%n", "policy", "load",
                "offered", "achieved", "ratio", "done", "e2e p50", "p95", "p99", "queue50", "queue95", "queue99",
                "batch");
        out.flush();
        return c;
    }

    private void warmUp(ServingHarness h) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        List<StepsMix.Share> shares = s.steps().shares();
        for (VideoSize size : s.sizes()) {
            for (int i = 0; i < Math.max(2, shares.size()); i++) {
                ids.add(send(h, "warm", size, shares.get(i % shares.size()).steps()));
            }
        }
        h.flush();
        int got = h.await(ids, Duration.ofMinutes(5));
        if (got < ids.size()) {
            throw new IllegalStateException("warm-up: only " + got + " of " + ids.size() + " results arrived");
        }
    }

    private Level level(ServingHarness h, String policy, double load, double capacity) throws InterruptedException {
        long[] offsets = new PoissonArrivals(load * capacity, s.seed())
                .offsets(s.requestsPerLevel(), s.maxSecondsPerLevel());
        int[] steps = s.steps().assign(offsets.length, s.seed());
        List<String> ids = new ArrayList<>();
        List<Arrival> arrivals = new ArrayList<>();
        long start = System.nanoTime();
        long lastSent = start;
        for (long offset : offsets) {
            long wait = start + offset - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            int n = ids.size();
            VideoSize size = s.sizes().get(n % s.sizes().size());
            long sent = System.nanoTime();
            ids.add(send(h, policy + "-" + Math.round(load * 100), size, steps[n]));
            h.flush(); // open loop: each request leaves when it is due, not in a batch of sends
            arrivals.add(new Arrival((sent - start) / 1e6, size.toString(), steps[n]));
            lastSent = System.nanoTime();
        }
        int done = h.await(ids, Duration.ofSeconds((long) (s.maxSecondsPerLevel() * 4 + 120)));
        List<ServingHarness.Timing> t = h.timings(ids); // in arrival order
        int failed = (int) t.stream().filter(x -> x.status() != Status.SUCCEEDED).count();
        Percentiles latency = Percentiles.of(t.stream().map(ServingHarness.Timing::latencyMs).toList());
        double offered = ids.size() / ((lastSent - start) / 1e9);
        Throughput.Window achieved = Throughput.overArrivals(
                t.stream().mapToLong(ServingHarness.Timing::sentNanos).toArray(),
                t.stream().mapToLong(ServingHarness.Timing::receivedNanos).toArray(), start, lastSent);
        double ratio = achieved.perSecond() / offered;
        QueueGrowth growth = QueueGrowth.judge(ratio, t.stream().map(ServingHarness.Timing::queueMs).toList());
        return new Level(policy, load, offered, achieved.perSecond(), ratio, growth.grows(), ids.size(), done,
                failed, latency, Percentiles.of(t.stream().map(ServingHarness.Timing::queueMs).toList()),
                growth.firstThirdQueueMs(), growth.lastThirdQueueMs(),
                t.stream().mapToInt(ServingHarness.Timing::batchSize).average().orElse(Double.NaN),
                List.copyOf(arrivals));
    }

    private String send(ServingHarness h, String prefix, VideoSize size, int steps) {
        int n = next++;
        String id = prefix + "-" + n;
        h.send(id, BenchPrompts.get(n), size, steps, s.guidance(), s.seed() + n);
        return id;
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
        Charts.write(png, String.format(Locale.ROOT, "End-to-end latency against load (sustained capacity %.2f "
                + "videos/s, policy %s)", r.capacity().perSecond(), r.capacity().policy()),
                "offered load, % of capacity", "latency, s", false, lines);
    }
}
