package io.cogflow.cli;

import io.cogflow.bench.Charts;
import io.cogflow.bench.model.BatchProfileBenchmark;
import io.cogflow.bench.model.BenchmarkCases;
import io.cogflow.bench.model.TransformerBenchmark;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.pipeline.BatchProfile;
import io.cogflow.model.pipeline.VideoGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cogflow bench profile}: benchmark 1 of docs/benchmarks.md, and the adaptive batcher's input. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"Batch profile: whole-batch generation time and per-video throughput against batch size for "
                + "every bucket of a model (the denoiser's GFLOP/s per step next to a 2048^3 MatMul measured in "
                + "the same run), then the transformer forward of a mid-size config. Writes the profile the "
                + "adaptive batching policy reads (--out) and a PNG plot (--plot)."})
final class BenchProfile implements Callable<Integer> {
    @Option(names = "--model", description = "An exported model (default: the bundled demo model).")
    Path model;

    @Option(names = "--batch", split = ",", defaultValue = "1,2,4,8,16", description = "Batch sizes.")
    int[] batches;

    @Option(names = "--steps", defaultValue = "25", description = "Denoising steps per generation (default 25).")
    int steps;

    @Option(names = "--guidance", defaultValue = "3.0", description = "Classifier-free guidance (default 3).")
    double guidance;

    @Option(names = "--runs", defaultValue = "3", description = "Timed generations per point (default 3).")
    int runs;

    @Option(names = "--preset", split = ",", defaultValue = "mid",
            description = "Transformer configs timed after the model (default mid: D 512, 8 layers, 994 tokens; "
                    + "'none' to skip).")
    List<String> presets;

    @Option(names = "--out", description = "Write the batch profile here (e.g. configs/profiles/demo-cpu.json).")
    Path out;

    @Option(names = "--plot", description = "Write a PNG of per-video throughput against batch size here.")
    Path plot;

    @Mixin
    TimingOptions timing;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    ExportedModelOptions exported;

    @Mixin
    AttentionOptions attention;

    @Mixin
    JsonOutput json;

    /**
     * The --json document: the model's batch profile rows (every bucket), then the transformer presets, with the
     * MatMul reference before and after.
     */
    record Result(Machine machine, Integer intraOpThreads, double matmulGflops, Path model, int steps,
                  double guidance, int runs, List<BatchProfileBenchmark.Row> buckets,
                  List<BenchCommand.Transformer.Config> transformers, double matmulGflopsAfter, Path profileFile,
                  Path plotFile) {
    }

    @Override
    public Integer call() {
        PrintWriter o = json.text();
        Path dir = model == null ? RepositoryPaths.demoModel() : model;
        String machine = runtime.describe() + ", " + System.getProperty("os.arch") + ", CPU";
        o.println(machine);
        TransformerBenchmark transformer = new TransformerBenchmark(attention.denoiser(runtime),
                timing.minRuns, timing.minSeconds);
        double matmul = transformer.matmulGflops(2048);
        o.printf(Locale.ROOT, "MatMul 2048^3: %.1f GFLOP/s%n", matmul);
        List<Charts.Line> lines = new ArrayList<>();
        List<BatchProfileBenchmark.Row> rows = new ArrayList<>();
        try (VideoGenerator generator = VideoGenerator.load(dir, runtime.session(), exported.loadOptions())) {
            o.printf(Locale.ROOT, "%nmodel %s: %d steps, guidance %.1f, median of %d generations after 2 warm-up%n",
                    dir, steps, guidance, runs);
            o.printf(Locale.ROOT, "%-10s %5s %10s %10s %9s %9s %10s %9s %9s %10s%n", "bucket", "batch", "batch ms",
                    "ms/video", "video/s", "x batch1", "ms/step", "GFLOP/s", "% MatMul", "decode ms");
            o.flush();
            BatchProfileBenchmark bench = new BatchProfileBenchmark(generator, runs);
            for (ModelManifest.Size size : generator.manifest().sizes()) {
                List<BatchProfileBenchmark.Row> bucket = bench.run(size, steps, guidance, batches);
                double single = bucket.get(0).point().videosPerSecond();
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (BatchProfileBenchmark.Row r : bucket) {
                    BatchProfile.Point p = r.point();
                    o.printf(Locale.ROOT, "%-10s %5d %10.1f %10.1f %9.2f %9.2f %10.2f %9.1f %8.0f%% %10.1f%n",
                            r.bucket(), p.batch(), p.batchMs(), p.batchMs() / p.batch(), p.videosPerSecond(),
                            p.videosPerSecond() / single, r.stepMs(), r.gflops(), 100 * r.gflops() / matmul,
                            p.decodeMs());
                    o.flush();
                    x.add((double) p.batch());
                    y.add(p.videosPerSecond() / single);
                }
                rows.addAll(bucket);
                lines.add(new Charts.Line(dir.getFileName() + " " + size.video() + " (whole generation)", x, y));
            }
        }
        List<BenchCommand.Transformer.Config> transformers = new ArrayList<>();
        for (String p : presets) {
            if (p.equals("none")) {
                continue;
            }
            TransformerBenchmark.Case c = BenchmarkCases.PRESETS.get(p);
            if (c == null) {
                throw new IllegalArgumentException("unknown preset '" + p + "', known: " + BenchmarkCases.names());
            }
            o.printf(Locale.ROOT, "%ntransformer forward, config %s (%,d parameters), seeded weights%n", p,
                    TransformerBenchmark.parameters(c));
            o.printf(Locale.ROOT, "%-10s %5s %7s %10s %11s %11s %9s %10s %9s%n", "config", "batch", "tokens", "GFLOP",
                    "median ms", "ms/sample", "x batch1", "GFLOP/s", "% MatMul");
            o.flush();
            List<TransformerBenchmark.Row> result = new ArrayList<>();
            for (int b : batches) {
                TransformerBenchmark.Row r = transformer.run(c, new int[]{b}).get(0);
                result.add(r);
                double speedup = result.get(0).msPerSample() / r.msPerSample();
                o.printf(Locale.ROOT, "%-10s %5d %7d %10.1f %11.1f %11.1f %9.2f %10.1f %8.0f%%%n", r.name(),
                        r.batch(), r.tokens(), r.gflop(), r.medianMs(), r.msPerSample(), speedup, r.gflops(),
                        100 * r.gflops() / matmul);
                o.flush();
            }
            transformers.add(new BenchCommand.Transformer.Config(p, TransformerBenchmark.parameters(c), result));
            lines.add(new Charts.Line(p + " transformer forward (" + result.get(0).tokens() + " tokens)",
                    result.stream().map(r -> (double) r.batch()).toList(),
                    result.stream().map(r -> result.get(0).msPerSample() / r.msPerSample()).toList()));
        }
        double matmulAfter = transformer.matmulGflops(2048);
        o.printf(Locale.ROOT, "%nMatMul 2048^3 after: %.1f GFLOP/s%n", matmulAfter);
        if (out != null) {
            BatchProfileBenchmark.profile(dir.getFileName().toString(), machine, LocalDate.now().toString(), steps,
                    guidance, rows).write(out);
            o.println("profile written to " + out);
        }
        if (plot != null) {
            Charts.write(plot, "Per-video throughput against batch size (relative to batch 1)", "batch size",
                    "throughput per video / batch 1", false, lines);
            o.println("plot written to " + plot);
        }
        o.flush();
        json.result(new Result(Machine.current(), runtime.intraOpThreads(), matmul, dir, steps, guidance, runs, rows,
                transformers, matmulAfter, out, plot));
        return 0;
    }
}
