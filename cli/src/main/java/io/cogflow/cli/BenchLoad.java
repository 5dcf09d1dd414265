package io.cogflow.cli;

import io.cogflow.bench.LoadBenchmark;
import io.cogflow.model.pipeline.VideoSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cogflow bench load}: benchmark 3 of docs/benchmarks.md. */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Latency under load: a local broker and the job in a MiniCluster; measures capacity with a "
                + "burst, then offers open-loop Poisson traffic (loopback, bounded in count and time) at fractions "
                + "of it for each batching policy and prints end-to-end and queueing latency percentiles."})
final class BenchLoad implements Callable<Integer> {
    @Mixin
    ServingOptions serving;

    @Option(names = "--policies", split = ",", defaultValue = "none,fixed,adaptive",
            description = "Batching policies to compare (default none,fixed,adaptive).")
    List<String> policies;

    @Option(names = "--loads", split = ",", defaultValue = "0.5,0.8,0.95",
            description = "Offered load as fractions of the measured capacity (default 0.5,0.8,0.95).")
    double[] loads;

    @Option(names = "--requests", defaultValue = "60", description = "Requests per load level, at most (default 60).")
    int requests;

    @Option(names = "--max-seconds", defaultValue = "90",
            description = "Arrivals per load level stop after this many seconds (default 90).")
    double maxSeconds;

    @Option(names = "--capacity-requests", defaultValue = "48",
            description = "Burst size for the capacity measurement (default 48).")
    int capacityRequests;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the arrival times and prompts.")
    long seed;

    @Option(names = "--plot", description = "Write the latency-against-load PNG here.")
    Path plot;

    @Mixin
    JsonOutput json;

    /** The --json document: the settings the text's first line states, and the report (latencies in ms). */
    record Result(Machine machine, Path model, List<VideoSize> buckets, int steps, double guidance,
                  long checkpointMs, LoadBenchmark.Report report, Path plotFile) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = json.text();
        var config = serving.jobConfig();
        out.printf(Locale.ROOT, "cores %d, java %s; model %s, buckets %s, %d steps, guidance %.1f, checkpoints every "
                        + "%d ms; fixed policy %s / %s, adaptive profile %s, latency target %d ms%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), serving.modelDir(),
                serving.sizes(), serving.steps, serving.guidance, serving.checkpointMs,
                config.batching().defaults(), config.batching().buckets(), config.batching().profile(),
                config.batching().latencyTargetMs());
        out.flush();
        LoadBenchmark.Report r = new LoadBenchmark(new LoadBenchmark.Settings(config, serving.sizes(), serving.steps,
                serving.guidance, policies, loads, requests, maxSeconds, capacityRequests, seed, serving.work), out)
                .run();
        if (plot != null) {
            LoadBenchmark.plot(r, plot);
            out.println("plot written to " + plot);
        }
        out.flush();
        json.result(new Result(Machine.current(), serving.modelDir(), serving.sizes(), serving.steps, serving.guidance,
                serving.checkpointMs, r, plot));
        return 0;
    }
}
