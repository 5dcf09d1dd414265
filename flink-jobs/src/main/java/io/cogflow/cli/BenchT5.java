package io.cogflow.cli;

import io.cogflow.model.bench.T5Benchmark;
import io.cogflow.model.t5.T5Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cogflow bench t5}. */
@Command(name = "t5", mixinStandardHelpOptions = true,
        description = {"T5 encoder time per call and per prompt at several batch sizes (226 tokens by default). "
                + "Weights are seeded random values; the config defaults to the golden tiny encoder's."})
final class BenchT5 implements Callable<Integer> {
    @Spec
    CommandSpec spec;

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

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        T5Config c = config == null ? T5Benchmark.tinyConfig() : T5Config.load(config);
        out.println(runtime.describe());
        out.printf(Locale.ROOT, "config %s%n%n", config == null ? "tiny (t5_tiny)" : config);
        out.printf(Locale.ROOT, "%6s %7s %11s %12s %6s%n", "batch", "tokens", "median ms", "ms/prompt", "runs");
        out.flush();
        T5Benchmark bench = new T5Benchmark(runtime.session(), timing.minRuns, timing.minSeconds);
        for (T5Benchmark.Row r : bench.run(c, length, batches)) {
            out.printf(Locale.ROOT, "%6d %7d %11.3f %12.3f %6d%n", r.batch(), r.length(), r.medianMs(),
                    r.msPerPrompt(), r.runs());
            out.flush();
        }
        return 0;
    }
}
