package io.cogflow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

/** {@code cogflow bench cold-start}: benchmark 5 of docs/benchmarks.md. */
@Command(name = "cold-start", mixinStandardHelpOptions = true,
        description = {"Cold start: runs 'cogflow demo --json' in fresh JVMs and reports the time from process start "
                + "to the first result, the broker start-up and the model load inside it."})
final class BenchColdStart implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--runs", defaultValue = "3", description = "Fresh JVMs to time (default 3).")
    int runs;

    @Option(names = "--work", defaultValue = "target/bench", description = "Where the demo's videos go.")
    Path work;

    @Mixin
    JsonOutput json;

    /**
     * One run, in seconds.
     *
     * @param launchToFirstResultSeconds from this process starting the demo's JVM to the demo's first result
     * @param inJvmFirstResultSeconds    from the demo command's start, inside its JVM, to its first result
     */
    record Times(double launchToFirstResultSeconds, double inJvmFirstResultSeconds, double brokerUpSeconds,
                 double modelLoadSeconds, double allDoneSeconds) {
    }

    /** The --json document: every run, and the median of each column. */
    record Result(Machine machine, List<Times> runs, Times median) {
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            throw new ParameterException(spec.commandLine(), "--runs must be at least 1, got " + runs);
        }
        PrintWriter out = json.text();
        out.printf(Locale.ROOT, "cores %d, java %s; 'cogflow demo' (7 requests, 25 steps) in a fresh JVM per run%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        out.printf(Locale.ROOT, "%4s %16s %14s %13s %12s %12s%n", "run", "first result s", "in-JVM first s",
                "broker up s", "model load s", "all done s");
        out.flush();
        List<Times> rows = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            Times t = once(work.resolve("cold-start-" + i));
            rows.add(t);
            print(out, Integer.toString(i), t);
        }
        Times median = median(rows);
        print(out, "med", median);
        json.result(new Result(Machine.current(), rows, median));
        return 0;
    }

    private static void print(PrintWriter out, String run, Times t) {
        out.printf(Locale.ROOT, "%4s %16.2f %14.2f %13.2f %12.2f %12.2f%n", run, t.launchToFirstResultSeconds(),
                t.inJvmFirstResultSeconds(), t.brokerUpSeconds(), t.modelLoadSeconds(), t.allDoneSeconds());
        out.flush();
    }

    /** Runs {@code cogflow demo --json} in a fresh JVM; its text (stderr) goes to demo.log in its folder. */
    private static Times once(Path out) throws Exception {
        Files.createDirectories(out);
        Path log = out.resolve("demo.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "-Dcogflow.home=" + RepositoryPaths.home(), "-cp",
                System.getProperty("java.class.path"), Cogflow.class.getName(), "demo", "--json", "--out",
                out.toString());
        long launched = System.currentTimeMillis();
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        p.getOutputStream().close();
        String document = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException("cogflow demo exited with " + code + "; its output is in " + log);
        }
        return times(ResultJson.read(document, DemoCommand.Result.class), launched);
    }

    /** A demo run's times; {@code launchedEpochMillis} is the wall clock when its JVM was started. */
    static Times times(DemoCommand.Result demo, long launchedEpochMillis) {
        if (demo.firstResultEpochMillis() == null) {
            throw new IllegalStateException("cogflow demo reported no result");
        }
        return new Times((demo.firstResultEpochMillis() - launchedEpochMillis) / 1e3, demo.firstResultSeconds(),
                demo.brokerUpSeconds(), demo.modelLoadSeconds(), demo.allDoneSeconds());
    }

    static Times median(List<Times> runs) {
        return new Times(median(runs, Times::launchToFirstResultSeconds), median(runs,
                Times::inJvmFirstResultSeconds), median(runs, Times::brokerUpSeconds),
                median(runs, Times::modelLoadSeconds), median(runs, Times::allDoneSeconds));
    }

    private static double median(List<Times> runs, ToDoubleFunction<Times> column) {
        double[] v = runs.stream().mapToDouble(column).sorted().toArray();
        return v[v.length / 2];
    }
}
