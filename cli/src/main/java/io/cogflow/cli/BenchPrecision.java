package io.cogflow.cli;

import io.cogflow.bench.precision.PrecisionBenchmark;
import io.cogflow.bench.precision.PrecisionCases;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cogflow bench precision}. */
@Command(name = "precision", mixinStandardHelpOptions = true,
        description = {"float32 against bfloat16 exports (export --compute) of the same weights, in one run: the "
                + "tiny 2B config, the bundled demo model and the mid config. Per model: denoise ms per call at "
                + "batch 1 and --batch, a whole generation (models with a text encoder), graph nodes and Casts, "
                + "and how far bf16 outputs are from float32's; plus an n^3 MatMul in both types."})
final class BenchPrecision implements Callable<Integer> {
    @Option(names = "--model", description = "The exported float32 model to compare (default: the bundled demo "
            + "model).")
    Path model;

    @Option(names = "--cases", split = ",", defaultValue = "tiny-2b,demo,mid",
            description = "Which to run: tiny-2b, demo, mid (default all).")
    List<String> cases;

    @Option(names = "--batch", defaultValue = "8", description = "The larger denoise batch (default 8).")
    int batch;

    @Option(names = "--steps", defaultValue = "25", description = "Steps of the whole generation (default 25).")
    int steps;

    @Option(names = "--guidance", defaultValue = "3", description = "Guidance of the generation (default 3).")
    double guidance;

    @Option(names = "--generation-runs", defaultValue = "3", description = "Timed generations (default 3).")
    int generationRuns;

    @Option(names = "--profile", defaultValue = "0", description = "Also trace this many denoise calls at --batch "
            + "per export and print the time per kernel type, float32 next to bfloat16 (default 0: off).")
    int profileRuns;

    @Mixin
    TimingOptions timing;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    JsonOutput json;

    /** The --json document. */
    record Result(Machine machine, Integer intraOpThreads, PrecisionBenchmark.MatMulRate matmul,
                  List<PrecisionBenchmark.Row> rows) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = json.text();
        PrecisionBenchmark bench = new PrecisionBenchmark(runtime.session(), timing.minRuns, timing.minSeconds,
                generationRuns, profileRuns);
        List<PrecisionBenchmark.Case> list = new ArrayList<>();
        for (String c : cases) {
            list.add(PrecisionCases.named(c, model != null ? model : RepositoryPaths.demoModel()));
        }
        out.println(runtime.describe());
        PrecisionBenchmark.MatMulRate mm = bench.matmul(2048);
        out.printf(Locale.ROOT, "MatMul 2048^3: float32 %.1f GFLOP/s, bfloat16 %.1f GFLOP/s (%.2fx)%n%n",
                mm.float32Gflops(), mm.bfloat16Gflops(), mm.bfloat16Gflops() / mm.float32Gflops());
        out.printf(Locale.ROOT, "%-8s %-10s %6s %-5s %12s %12s %14s %15s %9s %11s%n", "model", "size", "batch", "type",
                "denoise ms", "ms/sample", "generation ms", "nodes (casts)", "speed-up", "bf16 diff");
        out.flush();
        Path work = Files.createTempDirectory("cogflow-bench-precision-");
        List<PrecisionBenchmark.Row> rows = new ArrayList<>();
        try {
            for (PrecisionBenchmark.Case c : list) {
                PrecisionBenchmark.Row r = bench.run(c, batch, steps, guidance, work);
                rows.add(r);
                print(out, r);
                out.flush();
            }
            for (PrecisionBenchmark.Row r : rows) {
                printKernels(out, r);
            }
        } finally {
            Files.deleteIfExists(work);
        }
        out.println();
        out.println("speed-up: float32 time / bfloat16 time; bf16 diff: relative L2 of the bf16 output against "
                + "float32's (denoise at batch 1; frames for the generation).");
        out.flush();
        json.result(new Result(Machine.current(), runtime.intraOpThreads(), mm, rows));
        return 0;
    }

    /** The kernel types that take the most time in either export, float32 next to bf16. */
    private static void printKernels(PrintWriter out, PrecisionBenchmark.Row r) {
        if (r.float32Kernels() == null) {
            return;
        }
        java.util.Map<String, double[]> byType = new java.util.LinkedHashMap<>();
        r.float32Kernels().forEach(k -> byType.computeIfAbsent(k.type(), t -> new double[4])[0] = k.micros());
        r.float32Kernels().forEach(k -> byType.get(k.type())[1] = k.launches());
        r.bfloat16Kernels().forEach(k -> byType.computeIfAbsent(k.type(), t -> new double[4])[2] = k.micros());
        r.bfloat16Kernels().forEach(k -> byType.get(k.type())[3] = k.launches());
        double f = r.float32Kernels().stream().mapToDouble(k -> k.micros()).sum();
        double b = r.bfloat16Kernels().stream().mapToDouble(k -> k.micros()).sum();
        out.printf(Locale.ROOT, "%n%s denoise at batch %d, kernel time per call (sum of kernel times; ms):%n",
                r.name(), r.batchN());
        out.printf(Locale.ROOT, "%-32s %10s %8s %10s %8s%n", "kernel", "f32 ms", "f32 n", "bf16 ms", "bf16 n");
        byType.entrySet().stream().sorted((x, y) -> Double.compare(Math.max(y.getValue()[0], y.getValue()[2]),
                Math.max(x.getValue()[0], x.getValue()[2]))).limit(14).forEach(e -> out.printf(Locale.ROOT,
                "%-32s %10.2f %8.0f %10.2f %8.0f%n", e.getKey(), e.getValue()[0] / 1e3, e.getValue()[1],
                e.getValue()[2] / 1e3, e.getValue()[3]));
        out.printf(Locale.ROOT, "%-32s %10.2f %8s %10.2f%n", "all", f / 1e3, "", b / 1e3);
    }

    private static void print(PrintWriter out, PrecisionBenchmark.Row r) {
        for (PrecisionBenchmark.Side s : List.of(r.float32(), r.bfloat16())) {
            boolean bf = s == r.bfloat16();
            String gen = s.generationMs() == null ? "-" : String.format(Locale.ROOT, "%.0f", s.generationMs());
            out.printf(Locale.ROOT, "%-8s %-10s %6d %-5s %12.2f %12.2f %14s %15s %9s %11s%n", r.name(), r.size(), 1,
                    bf ? "bf16" : "f32", s.denoiseMsBatch1(), s.denoiseMsBatch1(), gen,
                    s.denoiseNodes() + " (" + s.denoiseCasts() + ")",
                    bf ? String.format(Locale.ROOT, "%.2fx", r.denoiseSpeedup1()) : "",
                    bf ? String.format(Locale.ROOT, "%.1e", r.denoiseRelL2()) : "");
            out.printf(Locale.ROOT, "%-8s %-10s %6d %-5s %12.2f %12.2f %14s %15s %9s %11s%n", r.name(), r.size(),
                    r.batchN(), bf ? "bf16" : "f32", s.denoiseMsBatchN(), s.denoiseMsBatchN() / r.batchN(), "", "",
                    bf ? String.format(Locale.ROOT, "%.2fx", r.denoiseSpeedupN()) : "", "");
        }
        if (r.generationSpeedup() != null) {
            out.printf(Locale.ROOT, "%-8s generation (%d steps, batch 1): %.2fx faster in bf16, frames rel L2 %.1e, "
                    + "max |diff| %.3f%n", r.name(), r.steps(), r.generationSpeedup(), r.framesRelL2(),
                    r.framesMaxAbs());
        }
    }
}
