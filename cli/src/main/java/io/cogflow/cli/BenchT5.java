package io.cogflow.cli;

import io.cogflow.bench.model.T5Benchmark;
import io.cogflow.model.t5.T5Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cogflow bench t5}. */
@Command(name = "t5", mixinStandardHelpOptions = true,
        description = {"T5 encoder time per call and per prompt at several batch sizes (226 tokens by default). "
                + "Weights are seeded random values; the config defaults to the golden tiny encoder's."})
final class BenchT5 implements Callable<Integer> {
    @Option(names = "--config", description = "A T5 config.json to time instead of the tiny one.")
    Path config;

    @Option(names = "--length", defaultValue = "226", description = "Tokens per prompt.")
    int length;

    @Option(names = "--batch", split = ",", defaultValue = "1,2,8", description = "Batch sizes.")
    int[] batches;

    @Mixin
    TimingOptions timing;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    JsonOutput json;

    /** The --json document; {@code configFile} is null when the built-in tiny config was timed. */
    record Result(Machine machine, Integer intraOpThreads, Path configFile, List<T5Benchmark.Row> rows) {
    }

    @Override
    public Integer call() {
        PrintWriter out = json.text();
        T5Config c = config == null ? T5Benchmark.tinyConfig() : T5Config.load(config);
        out.println(runtime.describe());
        out.printf(Locale.ROOT, "config %s%n%n", config == null ? "tiny (t5_tiny)" : config);
        out.printf(Locale.ROOT, "%6s %7s %11s %12s %6s%n", "batch", "tokens", "median ms", "ms/prompt", "runs");
        out.flush();
        T5Benchmark bench = new T5Benchmark(runtime.session(), timing.minRuns, timing.minSeconds);
        List<T5Benchmark.Row> rows = bench.run(c, length, batches);
        for (T5Benchmark.Row r : rows) {
            out.printf(Locale.ROOT, "%6d %7d %11.3f %12.3f %6d%n", r.batch(), r.length(), r.medianMs(),
                    r.msPerPrompt(), r.runs());
            out.flush();
        }
        json.result(new Result(Machine.current(), runtime.intraOpThreads(), config, rows));
        return 0;
    }
}
