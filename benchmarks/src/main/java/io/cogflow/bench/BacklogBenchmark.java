package io.cogflow.bench;

import io.cogflow.job.JobConfig;
import io.cogflow.model.pipeline.VideoSize;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark 4: a backlog. Queues {@code requests} in Kafka before the job starts, then runs the job for a while and
 * samples this JVM's heap (the MiniCluster and the job; the broker is its own process): used heap, and the live
 * heap left after each collection ({@link HeapAfterGc}). Bounded means flat however long the backlog is: the source reads only as fast
 * as the async generator's capacity frees, the rest stays in Kafka as consumer lag.
 */
public final class BacklogBenchmark {

    public record Settings(JobConfig config, List<VideoSize> sizes, int requests, int steps, double guidance,
                           double seconds, long seed, Path workDir) {
    }

    /** Heap in MiB; {@code liveAfterGc} is the largest heap in use right after a collection. */
    public record Report(int queued, double queueSeconds, double baselineUsedMib, double peakUsedMib,
                         double peakCommittedMib, double peakLiveAfterGcMib, double maxHeapMib, int drained,
                         double drainSeconds, double drainPerSecond, List<HeapSample> samples) {
    }

    /**
     * The heap at one moment of the run.
     *
     * @param liveAfterGcMib the heap left by the latest collection (NaN before the first)
     * @param results        results received so far
     */
    public record HeapSample(double seconds, double usedMib, double liveAfterGcMib, int results) {
    }

    private final Settings s;
    private final PrintWriter out;

    public BacklogBenchmark(Settings settings, PrintWriter out) {
        this.s = settings;
        this.out = out;
    }

    public Report run() throws Exception {
        try (ServingHarness h = ServingHarness.open(s.config(), s.workDir().resolve("claims"));
             HeapAfterGc gc = new HeapAfterGc()) {
            long q0 = System.nanoTime();
            for (int i = 0; i < s.requests(); i++) {
                h.send("backlog-" + i, BenchPrompts.get(i),
                        s.sizes().get(i % s.sizes().size()), s.steps(), s.guidance(), s.seed() + i);
            }
            h.flush();
            double queueSeconds = (System.nanoTime() - q0) / 1e9;
            out.printf(Locale.ROOT, "queued %,d requests in Kafka in %.1f s; starting the job%n", s.requests(),
                    queueSeconds);
            out.flush();
            System.gc();
            double baseline = usedMib();
            double peakUsed = baseline;
            double peakCommitted = committedMib();
            double peakLive = 0;
            List<HeapSample> samples = new ArrayList<>();
            long start = System.nanoTime();
            h.startJob();
            long firstResult = -1;
            int atFirst = 0;
            long end = start + (long) (s.seconds() * 1e9);
            long nextPrint = start + 15_000_000_000L;
            while (System.nanoTime() < end && h.receivedCount() < s.requests()) {
                Thread.sleep(250);
                long now = System.nanoTime();
                double used = usedMib();
                peakUsed = Math.max(peakUsed, used);
                peakCommitted = Math.max(peakCommitted, committedMib());
                double live = gc.lastMib();
                if (!Double.isNaN(live)) {
                    peakLive = Math.max(peakLive, live);
                }
                int done = h.receivedCount();
                if (firstResult < 0 && done > 0) {
                    firstResult = now;
                    atFirst = done;
                }
                samples.add(new HeapSample((now - start) / 1e9, used, live, done));
                if (now >= nextPrint) {
                    out.printf(Locale.ROOT, "  %5.0f s: %,6d results, %,6d still in Kafka; heap used %.0f MiB, live "
                                    + "after GC %.0f MiB%n", (now - start) / 1e9, done, s.requests() - done, used,
                            live);
                    out.flush();
                    nextPrint += 15_000_000_000L;
                }
            }
            long stop = System.nanoTime();
            int drained = h.receivedCount();
            double drainSeconds = firstResult < 0 ? 0 : (stop - firstResult) / 1e9;
            double rate = firstResult < 0 || drainSeconds == 0 ? 0 : (drained - atFirst) / drainSeconds;
            return new Report(s.requests(), queueSeconds, baseline, peakUsed, peakCommitted, peakLive,
                    Runtime.getRuntime().maxMemory() / 1048576.0, drained, drainSeconds, rate, samples);
        }
    }

    private static double usedMib() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
    }

    private static double committedMib() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1048576.0;
    }

    /** Heap over time: used, and live after the last collection. */
    public static void plot(Report r, Path png) {
        List<HeapSample> live = r.samples().stream().filter(x -> !Double.isNaN(x.liveAfterGcMib())).toList();
        Charts.write(png, String.format(Locale.ROOT, "Heap with %,d requests waiting in Kafka", r.queued()),
                "seconds since job start", "MiB", false, List.of(
                        new Charts.Line("heap used", r.samples().stream().map(HeapSample::seconds).toList(),
                                r.samples().stream().map(HeapSample::usedMib).toList()),
                        new Charts.Line("live after the last GC", live.stream().map(HeapSample::seconds).toList(),
                                live.stream().map(HeapSample::liveAfterGcMib).toList())));
    }
}
