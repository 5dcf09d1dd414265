package io.cogflow.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cogflow.job.JobConfig;
import io.cogflow.scheduling.FixedWaitPolicy;
import io.cogflow.model.pipeline.GenerationInput;
import io.cogflow.model.pipeline.ProgressListener;
import io.cogflow.model.pipeline.VideoGenerator;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.schemas.Status;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark 2: pipeline efficiency. The same requests (bucket mix, batch size, steps, seeds) go once through the
 * bare {@link VideoGenerator} loop in this JVM and once through Kafka → Flink → Kafka as a backlog; efficiency is
 * the pipeline's videos per second over the bare loop's. The bare loop runs before and after the pipeline, so
 * drift of the shared machine shows.
 */
public final class PipelineBenchmark {

    public record Settings(JobConfig base, Path model, List<VideoSize> sizes, int batch, int requests, int steps,
                           double guidance, long seed, Path workDir) {
    }

    /**
     * Rates are videos per second.
     *
     * @param bareBeforeSteady     the bare loop before the pipeline, without its first batch (the steady state)
     * @param bareAfterSteady      the same after the pipeline
     * @param pipelineSteady       the pipeline from its first visible result to its last, without the first burst
     * @param bareCpuPerVideo      this JVM's CPU seconds per video in the bare loop (TensorFlow's threads included)
     * @param pipelineCpuPerVideo  the same during the pipeline run (generation plus Flink, clients, encoding)
     * @param brokerCpuPerVideo    the broker process's CPU seconds per video during the pipeline run
     */
    public record Report(double bareBefore, double bareAfter, double pipeline, double bareBeforeSteady,
                         double bareAfterSteady, double pipelineSteady, int requests, int failed,
                         double bareCpuPerVideo, double pipelineCpuPerVideo, double brokerCpuPerVideo) {
        @JsonProperty
        public double bare() {
            return (bareBefore + bareAfter) / 2;
        }

        @JsonProperty
        public double efficiency() {
            return pipeline / bare();
        }

        @JsonProperty
        public double steadyEfficiency() {
            return pipelineSteady / ((bareBeforeSteady + bareAfterSteady) / 2);
        }
    }

    private final Settings s;
    private final PrintWriter out;

    public PipelineBenchmark(Settings settings, PrintWriter out) {
        this.s = settings;
        this.out = out;
    }

    /** Requests rounded up to whole batches of every bucket, so the pipeline never waits for a partial batch. */
    int total() {
        int per = s.batch() * s.sizes().size();
        return (s.requests() + per - 1) / per * per;
    }

    private List<GenerationInput> requests(String prefix, int n) {
        List<GenerationInput> r = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            r.add(new GenerationInput(prefix + "-" + i, BenchPrompts.get(i), "",
                    s.sizes().get(i / s.batch() % s.sizes().size()), s.steps(), s.guidance(), false, s.seed() + i,
                    null));
        }
        return r;
    }

    public Report run() throws Exception {
        int n = total();
        double cpu0 = processCpuSeconds();
        double[] before = bare(n);
        double bareCpu = (processCpuSeconds() - cpu0) / n;
        out.printf(Locale.ROOT, "bare VideoGenerator loop:  %d videos in batches of %d: %.3f videos/s (%.3f after "
                + "the first batch)%n", n, s.batch(), before[0], before[1]);
        out.flush();
        double[] pipeline = pipeline(n);
        out.printf(Locale.ROOT, "Kafka -> Flink -> Kafka:   %d videos: %.3f videos/s (%.3f from the first result "
                + "to the last; %d failed)%n", n, pipeline[0], pipeline[4], (int) pipeline[1]);
        out.printf(Locale.ROOT, "CPU seconds per video: bare loop %.3f; pipeline JVM %.3f + broker process %.3f%n",
                bareCpu, pipeline[2] / n, pipeline[3] / n);
        out.flush();
        double[] after = bare(n);
        out.printf(Locale.ROOT, "bare VideoGenerator loop:  %d videos: %.3f videos/s (%.3f after the first batch; "
                + "again)%n", n, after[0], after[1]);
        Report r = new Report(before[0], after[0], pipeline[0], before[1], after[1], pipeline[4], n, (int) pipeline[1],
                bareCpu, pipeline[2] / n, pipeline[3] / n);
        out.printf(Locale.ROOT, "pipeline efficiency: %.3f (pipeline / mean of the bare runs); steady state %.3f "
                + "(without the first batch and first results)%n", r.efficiency(), r.steadyEfficiency());
        out.flush();
        return r;
    }

    /**
     * Videos per second of the plain loop: one warm-up batch per bucket, then every batch timed together; and
     * the same without the first batch (the steady state the pipeline's is compared with).
     */
    private double[] bare(int n) {
        try (VideoGenerator g = VideoGenerator.load(s.model(), new SessionOptions(s.base().model().threads(), 1),
                s.base().model().loadOptions())) {
            List<GenerationInput> all = requests("bare", n);
            for (int i = 0; i < s.sizes().size(); i++) {
                g.generate(all.subList(i * s.batch(), (i + 1) * s.batch()), ProgressListener.NONE);
            }
            long t0 = System.nanoTime();
            long afterFirst = 0;
            for (int from = 0; from < n; from += s.batch()) {
                g.generate(all.subList(from, from + s.batch()), ProgressListener.NONE);
                if (from == 0) {
                    afterFirst = System.nanoTime();
                }
            }
            long end = System.nanoTime();
            return new double[]{n / ((end - t0) / 1e9), (n - s.batch()) / ((end - afterFirst) / 1e9)};
        }
    }

    private static double processCpuSeconds() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1e9
                : Double.NaN;
    }

    /**
     * Videos per second from the first send of a backlog to its last result becoming visible, failures, and the CPU
     * seconds this JVM and the broker used meanwhile.
     */
    private double[] pipeline(int n) throws Exception {
        JobConfig.Batching b = s.base().batching();
        // full batches of the same size as the bare loop; the backlog keeps them full, so the wait never expires
        JobConfig config = s.base().withBatching(new JobConfig.Batching("fixed",
                new FixedWaitPolicy.Limits(s.batch(), 600_000), Map.of(), b.profile(), b.latencyTargetMs()));
        try (ServingHarness h = ServingHarness.open(config, s.workDir().resolve("claims"))) {
            h.startJob();
            List<String> warm = new ArrayList<>();
            for (GenerationInput r : requests("warm", s.batch() * s.sizes().size())) {
                h.send(r.id(), r.prompt(), r.size(), r.steps(), r.guidance(), r.seed());
                warm.add(r.id());
            }
            h.flush();
            if (h.await(warm, Duration.ofMinutes(10)) < warm.size()) {
                throw new IllegalStateException("warm-up results did not arrive");
            }
            List<String> ids = new ArrayList<>();
            double cpu0 = processCpuSeconds();
            double broker0 = h.brokerCpuSeconds();
            long t0 = System.nanoTime();
            for (GenerationInput r : requests("pipe", n)) {
                h.send(r.id(), r.prompt(), r.size(), r.steps(), r.guidance(), r.seed());
                ids.add(r.id());
            }
            h.flush();
            int done = h.await(ids, Duration.ofMinutes(60));
            double cpu = processCpuSeconds() - cpu0;
            double broker = h.brokerCpuSeconds() - broker0;
            List<ServingHarness.Timing> t = h.timings(ids);
            long last = t.stream().mapToLong(ServingHarness.Timing::receivedNanos).max().orElse(t0);
            long failed = t.stream().filter(x -> x.status() != Status.SUCCEEDED).count() + (n - done);
            return new double[]{done / ((last - t0) / 1e9), failed, cpu, broker,
                    ServingHarness.steadyRate(t)};
        }
    }
}
