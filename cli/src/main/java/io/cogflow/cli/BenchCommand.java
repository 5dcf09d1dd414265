package io.cogflow.cli;

import io.cogflow.bench.model.BenchmarkCases;
import io.cogflow.bench.model.TransformerBenchmark;
import io.cogflow.model.transformer.TransformerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cogflow bench …}: benchmarks that print numbers. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (they print numbers).",
        subcommands = {BenchCommand.Transformer.class, BenchVae.class, BenchT5.class, BenchEncode.class,
                BenchGenerate.class, BenchProfile.class, BenchLoad.class, BenchPipeline.class,
                BenchBacklog.class, BenchColdStart.class, BenchCorpus.class, BenchChaos.class,
                BenchPrecision.class, BenchXla.class, BenchDecode.class, BenchFullSize.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "transformer", mixinStandardHelpOptions = true,
            description = {"Forward time of the transformer at several batch sizes, with achieved GFLOP/s "
                    + "next to a 2048^3 MatMul measured in the same run. Weights are seeded random values."})
    static final class Transformer implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--preset", split = ",", defaultValue = "tiny-2b,mid",
                description = "Named configs: tiny-2b, mid (default both).")
        List<String> presets;

        @Option(names = "--config", description = "A transformer config.json to time instead of the presets.")
        Path config;

        @Option(names = "--shape", defaultValue = "3,8,8,12",
                description = "With --config: latent frames,height,width,text tokens.")
        String shape;

        @Option(names = "--batch", split = ",", defaultValue = "1,2,4", description = "Batch sizes.")
        int[] batches;

        @Mixin
        TimingOptions timing;

        @Mixin
        RuntimeOptions runtime;

        @Mixin
        AttentionOptions attention;

        @Mixin
        JsonOutput json;

        /** The --json document: the MatMul reference before and after, and every config's rows. */
        record Result(Machine machine, Integer intraOpThreads, double matmulGflops, List<Config> configs,
                      double matmulGflopsAfter) {
        }

        record Config(String name, long parameters, List<TransformerBenchmark.Row> rows) {
        }

        @Override
        public Integer call() {
            PrintWriter out = json.text();
            List<TransformerBenchmark.Case> cases = new ArrayList<>();
            if (config != null) {
                String[] s = shape.split(",");
                if (s.length != 4) {
                    throw new ParameterException(spec.commandLine(), "--shape needs frames,height,width,text");
                }
                cases.add(new TransformerBenchmark.Case(config.toString(), TransformerConfig.load(config),
                        Integer.parseInt(s[0].trim()), Integer.parseInt(s[1].trim()), Integer.parseInt(s[2].trim()),
                        Integer.parseInt(s[3].trim())));
            } else {
                for (String p : presets) {
                    TransformerBenchmark.Case c = BenchmarkCases.PRESETS.get(p);
                    if (c == null) {
                        throw new ParameterException(spec.commandLine(), "unknown preset '" + p + "', known: "
                                + BenchmarkCases.names());
                    }
                    cases.add(c);
                }
            }
            TransformerBenchmark bench = new TransformerBenchmark(attention.denoiser(runtime), timing.minRuns,
                    timing.minSeconds);
            out.println(runtime.describe());
            double peak = bench.matmulGflops(2048);
            out.printf(Locale.ROOT, "MatMul 2048^3: %.1f GFLOP/s%n%n", peak);
            out.printf(Locale.ROOT, "%-10s %6s %7s %10s %11s %11s %10s %9s %8s%n", "config", "batch", "tokens",
                    "GFLOP", "median ms", "ms/sample", "GFLOP/s", "% MatMul", "runs");
            out.flush();
            List<Config> measured = new ArrayList<>();
            for (TransformerBenchmark.Case c : cases) {
                List<TransformerBenchmark.Row> rows = bench.run(c, batches);
                for (TransformerBenchmark.Row r : rows) {
                    out.printf(Locale.ROOT, "%-10s %6d %7d %10.3f %11.2f %11.2f %10.1f %8.0f%% %8d%n", r.name(),
                            r.batch(), r.tokens(), r.gflop(), r.medianMs(), r.msPerSample(), r.gflops(),
                            100 * r.gflops() / peak, r.runs());
                    out.flush();
                }
                out.printf(Locale.ROOT, "%-10s %,d parameters%n", c.name(), TransformerBenchmark.parameters(c));
                measured.add(new Config(c.name(), TransformerBenchmark.parameters(c), rows));
            }
            // the MatMul again, to show how much the machine drifted during the run
            double after = bench.matmulGflops(2048);
            out.printf(Locale.ROOT, "%nMatMul 2048^3 after: %.1f GFLOP/s%n", after);
            out.flush();
            json.result(new Result(Machine.current(), runtime.intraOpThreads(), peak, measured, after));
            return 0;
        }
    }
}
