package io.cogflow.cli;

import io.cogflow.bench.model.BenchmarkCases;
import io.cogflow.bench.model.TransformerBenchmark;
import io.cogflow.bench.xla.RestoreBenchmark;
import io.cogflow.bench.xla.XlaBenchmark;
import io.cogflow.model.export.XlaSignatures;
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

/** {@code cogflow bench xla}. */
@Command(name = "xla", mixinStandardHelpOptions = true,
        description = {"The same work with and without XLA in one run: each signature kind of an exported model "
                + "(every kind compiled against none), whole generations with the serving default (model.xla) "
                + "against none, and transformer configs alone (seeded weights); with the largest output "
                + "difference of each pair."},
        subcommands = BenchXla.Restore.class)
final class BenchXla implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", description = "An exported model (default: the bundled demo model).")
    Path model;

    @Option(names = "--generation-batch", split = ",", defaultValue = "1,8",
            description = "Requests per whole generation (default 1,8).")
    int[] generationBatches;

    @Option(names = "--steps", defaultValue = "25", description = "Denoising steps per generation (default 25).")
    int steps;

    @Option(names = "--guidance", defaultValue = "6.0", description = "Guidance of the generations (default 6).")
    double guidance;

    @Option(names = "--text-rows", split = ",", defaultValue = "2,16", description = "encode_text rows per call.")
    int[] textRows;

    @Option(names = "--denoise-rows", split = ",", defaultValue = "2,16", description = "denoise rows per call.")
    int[] denoiseRows;

    @Option(names = "--decode-rows", split = ",", defaultValue = "1,8", description = "decode rows per call.")
    int[] decodeRows;

    @Option(names = "--preset", split = ",", defaultValue = "tiny-2b,mid",
            description = "Transformer configs timed alone: tiny-2b, mid (default both).")
    List<String> presets;

    @Option(names = "--transformer-batch", split = ",", defaultValue = "1,2",
            description = "Batch sizes of the transformer configs (default 1,2).")
    int[] transformerBatches;

    @Mixin
    TimingOptions timing;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    JsonOutput json;

    /** The --json document. */
    record Result(Machine machine, Integer intraOpThreads, Path model, List<String> servingDefault,
                  List<XlaBenchmark.Row> rows) {
    }

    @Override
    public Integer call() {
        PrintWriter out = json.text();
        List<TransformerBenchmark.Case> cases = new ArrayList<>();
        for (String p : presets) {
            TransformerBenchmark.Case c = BenchmarkCases.PRESETS.get(p);
            if (c == null) {
                throw new ParameterException(spec.commandLine(), "unknown preset '" + p + "': use "
                        + BenchmarkCases.names());
            }
            cases.add(c);
        }
        Path dir = model == null ? RepositoryPaths.demoModel() : model;
        out.println(runtime.describe());
        out.printf(Locale.ROOT, "model %s; serving default model.xla %s%n%n", dir, XlaSignatures.DEFAULT.names());
        out.printf(Locale.ROOT, "%-11s %-56s %5s %10s %10s %8s %9s %5s%n", "part", "name", "batch", "off ms",
                "xla ms", "speedup", "max diff", "runs");
        out.flush();
        XlaBenchmark bench = new XlaBenchmark(runtime.session(), timing.minRuns, timing.minSeconds);
        List<XlaBenchmark.Row> rows = new ArrayList<>();
        print(out, rows, bench.signatures(dir, textRows, denoiseRows, decodeRows));
        print(out, rows, bench.generations(dir, generationBatches, steps, guidance));
        for (TransformerBenchmark.Case c : cases) {
            print(out, rows, bench.transformer(c, transformerBatches));
        }
        json.result(new Result(Machine.current(), runtime.intraOpThreads(), dir, XlaSignatures.DEFAULT.names(), rows));
        return 0;
    }

    /** {@code cogflow bench xla restore}: peak host memory of a serving load, one restore step against groups. */
    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Peak resident memory (VmHWM) of loading an exported model for serving, each load in a "
                    + "fresh JVM: the variables restored in one step against bounded groups. Without --model, "
                    + "exports a seeded transformer (--heads x 64, --layers) with the tiny VAE and T5 into --work."})
    static final class Restore implements Callable<Integer> {
        @Option(names = "--model", description = "An exported model (default: a seeded one exported into --work).")
        Path model;

        @Option(names = "--heads", defaultValue = "30", description = "Seeded transformer: heads of 64 (default 30).")
        int heads;

        @Option(names = "--layers", defaultValue = "8", description = "Seeded transformer: layers (default 8).")
        int layers;

        @Option(names = "--group-mib", split = ",", defaultValue = "0,1024,256",
                description = "Restore group sizes in MiB; 0 is one step (default 0,1024,256).")
        List<Long> groupMib;

        @Option(names = "--work", defaultValue = "target/bench-restore", description = "Scratch folder.")
        Path work;

        @Mixin
        JsonOutput json;

        record Result(Machine machine, Path model, List<RestoreBenchmark.Row> rows) {
        }

        @Override
        public Integer call() {
            PrintWriter out = json.text();
            Path dir = model;
            if (dir == null) {
                out.printf(Locale.ROOT, "exporting a seeded transformer (%d heads x 64, %d layers) into %s...%n",
                        heads, layers, work);
                out.flush();
                dir = RestoreBenchmark.exportSeeded(RepositoryPaths.home().resolve("testdata").resolve("golden"),
                        work.resolve("seeded"), work.resolve("model"), heads, layers);
            }
            List<Long> bytes = groupMib.stream().map(m -> m == 0 ? Long.MAX_VALUE : m << 20).toList();
            List<RestoreBenchmark.Row> rows = new RestoreBenchmark().run(dir, bytes, work);
            long base = rows.get(0).peakRssKb();
            out.printf(Locale.ROOT, "model %s%n%n%-16s %7s %14s %14s %16s %12s %9s%n", dir, "restore", "groups",
                    "checkpoint MiB", "peak RSS MiB", "peak - base MiB", "RSS MiB", "load ms");
            for (RestoreBenchmark.Row r : rows) {
                String mode = r.groupBytes() == 0 ? "baseline" : r.groupBytes() == Long.MAX_VALUE ? "one step"
                        : (r.groupBytes() >> 20) + " MiB groups";
                out.printf(Locale.ROOT, "%-16s %7d %14.0f %14.0f %16.0f %12.0f %9d%n", mode, r.groups(),
                        r.checkpointBytes() / 1048576.0, r.peakRssKb() / 1024.0, (r.peakRssKb() - base) / 1024.0,
                        r.rssKb() / 1024.0, r.loadMs());
            }
            out.flush();
            json.result(new Result(Machine.current(), dir, rows));
            return 0;
        }
    }

    private static void print(PrintWriter out, List<XlaBenchmark.Row> all, List<XlaBenchmark.Row> rows) {
        for (XlaBenchmark.Row r : rows) {
            out.printf(Locale.ROOT, "%-11s %-56s %5d %10.1f %10.1f %7.2fx %9.2e %5d%n", r.part(), r.name(), r.batch(),
                    r.offMs(), r.xlaMs(), r.speedup(), r.maxDiff(), r.runs());
            out.flush();
            all.add(r);
        }
    }
}
