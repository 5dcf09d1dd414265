package io.cogflow.cli;

import io.cogflow.bench.model.GenerationBenchmark;
import io.cogflow.model.pipeline.VideoGenerator;
import io.cogflow.model.pipeline.VideoSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cogflow bench generate}. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Per-stage times of whole generations on an exported model (medians of warm runs after two "
                + "warm-up generations), plus the MP4 encode per video."})
final class BenchGenerate implements Callable<Integer> {
    /** CogVideoX's default guidance, which the stage times are measured with. */
    private static final double GUIDANCE = 6.0;

    @Option(names = "--model", required = true, description = "An exported model folder.")
    Path model;

    @Option(names = "--size", description = "WIDTHxHEIGHTxFRAMES (default: the model's first size).")
    String size;

    @Option(names = "--steps", defaultValue = "50", description = "Denoising steps (default 50).")
    int steps;

    @Option(names = "--batch", split = ",", defaultValue = "1", description = "Batch sizes (default 1).")
    int[] batches;

    @Option(names = "--runs", defaultValue = "5", description = "Timed generations per batch size (default 5).")
    int runs;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    ExportedModelOptions exported;

    @Mixin
    JsonOutput json;

    /** The --json document: median stage times per batch size. */
    record Result(Machine machine, Integer intraOpThreads, Path model, VideoSize size, int steps, double guidance,
                  double modelLoadMs, List<GenerationBenchmark.Row> rows) {
    }

    @Override
    public Integer call() {
        PrintWriter out = json.text();
        long t0 = System.nanoTime();
        try (VideoGenerator generator = VideoGenerator.load(model, runtime.session(), exported.loadOptions())) {
            double loadMs = (System.nanoTime() - t0) / 1e6;
            VideoSize s = size == null ? generator.manifest().sizes().get(0).video() : VideoSize.parse(size);
            out.println(runtime.describe());
            out.printf(Locale.ROOT, "model %s, %s, %d steps, guidance %.0f; model load %.0f ms%n%n", model, s, steps,
                    GUIDANCE, loadMs);
            out.printf(Locale.ROOT, "%5s %10s %10s %9s %11s %9s %10s %10s %12s %5s%n", "batch", "tokenize", "encode",
                    "noise", "denoise", "ms/step", "decode", "total", "mp4/video", "runs");
            out.flush();
            GenerationBenchmark bench = new GenerationBenchmark(generator, runs, GUIDANCE);
            List<GenerationBenchmark.Row> rows = new ArrayList<>();
            for (int b : batches) {
                GenerationBenchmark.Row r = bench.run(s, steps, b);
                rows.add(r);
                var m = r.median();
                out.printf(Locale.ROOT, "%5d %10.1f %10.1f %9.1f %11.1f %9.2f %10.1f %10.1f %12.1f %5d%n", b,
                        m.tokenizeMs(), m.encodeTextMs(), m.noiseMs(), m.denoiseMs(), m.msPerStep(), m.decodeMs(),
                        m.totalMs(), r.encodeMsPerVideo(), r.runs());
                out.flush();
            }
            json.result(new Result(Machine.current(), runtime.intraOpThreads(), model, s, steps, GUIDANCE, loadMs,
                    rows));
        }
        return 0;
    }
}
