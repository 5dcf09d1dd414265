package io.cogflow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code cogflow bench cold-start}: benchmark 5 of docs/benchmarks.md. */
@Command(name = "cold-start", mixinStandardHelpOptions = true,
        description = {"Cold start: runs 'cogflow demo' in fresh JVMs and reports the time from process start to the "
                + "first result, the broker start-up and the model load inside it."})
final class BenchColdStart implements Callable<Integer> {
    private static final Pattern BROKER = Pattern.compile("up after ([0-9.]+) s");
    private static final Pattern FIRST = Pattern.compile("first result after ([0-9.]+) s \\(model load ([0-9.]+) s\\)");
    private static final Pattern DONE = Pattern.compile("done in ([0-9.]+) s");

    @Spec
    CommandSpec spec;

    @Option(names = "--runs", defaultValue = "3", description = "Fresh JVMs to time (default 3).")
    int runs;

    @Option(names = "--work", defaultValue = "target/bench", description = "Where the demo's videos go.")
    Path work;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "cores %d, java %s; 'cogflow demo' (7 requests, 25 steps) in a fresh JVM per run%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        out.printf(Locale.ROOT, "%4s %16s %14s %13s %12s %12s%n", "run", "first result s", "in-JVM first s",
                "broker up s", "model load s", "all done s");
        out.flush();
        List<double[]> rows = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            double[] r = once(work.resolve("cold-start-" + i));
            rows.add(r);
            out.printf(Locale.ROOT, "%4d %16.2f %14.2f %13.2f %12.2f %12.2f%n", i, r[0], r[1], r[2], r[3], r[4]);
            out.flush();
        }
        double[] median = new double[5];
        for (int k = 0; k < 5; k++) {
            final int c = k;
            double[] v = rows.stream().mapToDouble(r -> r[c]).sorted().toArray();
            median[k] = v[v.length / 2];
        }
        out.printf(Locale.ROOT, "%4s %16.2f %14.2f %13.2f %12.2f %12.2f%n", "med", median[0], median[1], median[2],
                median[3], median[4]);
        return 0;
    }

    /** {process start → first result, in-JVM first result, broker up, model load, all done} in seconds. */
    private double[] once(Path out) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "-Dcogflow.home=" + Paths.home(), "-cp",
                System.getProperty("java.class.path"), Cogflow.class.getName(), "demo", "--out", out.toString());
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        double[] r = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Matcher m;
                if ((m = FIRST.matcher(line)).find()) {
                    r[0] = (System.nanoTime() - t0) / 1e9;
                    r[1] = Double.parseDouble(m.group(1));
                    r[3] = Double.parseDouble(m.group(2));
                } else if ((m = BROKER.matcher(line)).find()) {
                    r[2] = Double.parseDouble(m.group(1));
                } else if ((m = DONE.matcher(line)).find()) {
                    r[4] = Double.parseDouble(m.group(1));
                }
            }
        }
        int code = p.waitFor();
        if (code != 0 || Double.isNaN(r[0])) {
            throw new IllegalStateException("cogflow demo exited with " + code + " before a first result");
        }
        return r;
    }
}
