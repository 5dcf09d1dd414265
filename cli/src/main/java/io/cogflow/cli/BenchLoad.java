package io.cogflow.cli;

import io.cogflow.bench.LoadBenchmark;
import io.cogflow.bench.StepsMix;
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
        description = {"Latency under load: a local broker and the job in a MiniCluster; measures the sustained "
                + "capacity (a closed loop that keeps the generator full, rate over its steady middle), then offers "
                + "open-loop Poisson traffic (loopback, bounded in count and time) at fractions of it for each "
                + "batching policy and prints offered and achieved rates, end-to-end and queueing latency "
                + "percentiles, and flags every level whose queue grows."})
final class BenchLoad implements Callable<Integer> {
    @Mixin
    ServingOptions serving;

    @Option(names = "--policies", split = ",", defaultValue = "none,fixed,adaptive,continuous",
            description = "Batching policies to compare, batching.policy values (default none,fixed,adaptive,continuous).")
    List<String> policies;

    @Option(names = "--loads", split = ",", defaultValue = "0.5,0.8,0.95",
            description = "Offered load as fractions of the measured capacity (default 0.5,0.8,0.95).")
    double[] loads;

    @Option(names = "--requests", defaultValue = "60", description = "Requests per load level, at most (default 60).")
    int requests;

    @Option(names = "--max-seconds", defaultValue = "90",
            description = "Arrivals per load level stop after this many seconds (default 90).")
    double maxSeconds;

    @Option(names = "--capacity-seconds", defaultValue = "60",
            description = "How long the capacity run keeps the service saturated; its first quarter is dropped as "
                    + "warm-up and the drain after it is not counted (default 60).")
    double capacitySeconds;

    /*
     * The loads are fractions of one capacity, the same for every policy, so every policy is offered the same
     * traffic. It should be what the service sustains, so the default is fixed: saturated, it runs full batches of
     * the configured max_batch and plans nothing, while adaptive sizes its batches for a latency target from the
     * bare-loop profile (docs/benchmarks.md found that profile ~10 % optimistic for the pipeline) — its saturated
     * rate is its plan's, not the service's. Name another policy if it sustains more.
     */
    @Option(names = "--capacity-policy", defaultValue = "fixed",
            description = "Batching policy of the capacity run; if it is not in --policies it gets a run of its own "
                    + "(default fixed).")
    String capacityPolicy;

    @Option(names = "--steps-mix",
            description = "Offer mixed step counts, steps:fraction[,...] (e.g. 25:0.8,10:0.2; fractions add up to "
                    + "1); each level holds the mix exactly, in an order fixed by --seed. Replaces --steps.")
    String stepsMix;

    @Option(names = "--seed", defaultValue = "7",
            description = "Seed of the arrival times, the order of a steps mix and the prompts.")
    long seed;

    @Option(names = "--plot", description = "Write the latency-against-load PNG here.")
    Path plot;

    @Mixin
    JsonOutput json;

    /** The --json document: the settings the text's first line states, and the report (latencies in ms). */
    record Result(Machine machine, Path model, List<VideoSize> buckets, StepsMix steps, double guidance,
                  long checkpointMs, LoadBenchmark.Report report, Path plotFile) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = json.text();
        var config = serving.jobConfig();
        StepsMix steps = stepsMix == null ? StepsMix.single(serving.steps) : StepsMix.parse(stepsMix);
        out.printf(Locale.ROOT, "cores %d, java %s; model %s, buckets %s, steps %s, guidance %.1f, checkpoints every "
                        + "%d ms; fixed policy %s / %s, adaptive profile %s, latency target %d ms%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), serving.modelDir(),
                serving.sizes(), steps, serving.guidance, serving.checkpointMs,
                config.batching().defaults(), config.batching().buckets(), config.batching().profile(),
                config.batching().latencyTargetMs());
        out.flush();
        LoadBenchmark.Report r = new LoadBenchmark(new LoadBenchmark.Settings(config, serving.sizes(), steps,
                serving.guidance, policies, loads, requests, maxSeconds, capacityPolicy, capacitySeconds, seed,
                serving.work), out).run();
        if (plot != null) {
            LoadBenchmark.plot(r, plot);
            out.println("plot written to " + plot);
        }
        out.flush();
        json.result(new Result(Machine.current(), serving.modelDir(), serving.sizes(), steps, serving.guidance,
                serving.checkpointMs, r, plot));
        return 0;
    }
}
