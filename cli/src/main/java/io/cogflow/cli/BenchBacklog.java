package io.cogflow.cli;

import io.cogflow.bench.BacklogBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cogflow bench backlog}: benchmark 4 of docs/benchmarks.md. */
@Command(name = "backlog", mixinStandardHelpOptions = true,
        description = {"Backlog: queue N requests in Kafka, start the job, and report this JVM's peak heap (used, "
                + "and live after GC) and the drain rate over the run."})
final class BenchBacklog implements Callable<Integer> {
    @Mixin
    ServingOptions serving;

    @Option(names = "--requests", defaultValue = "10000", description = "Requests queued first (default 10000).")
    int requests;

    @Option(names = "--seconds", defaultValue = "180",
            description = "Run the job this long, or until the backlog is drained (default 180).")
    double seconds;

    @Option(names = "--seed", defaultValue = "13", description = "Seed of the requests.")
    long seed;

    @Option(names = "--plot", description = "Write the heap-over-time PNG here.")
    Path plot;

    @Mixin
    JsonOutput json;

    /** The --json document: the settings the text's first line states, and the report (heap in MiB). */
    record Result(Machine machine, Path model, int steps, String batchingPolicy, int inFlightPerSlot,
                  BacklogBenchmark.Report report, Path plotFile) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = json.text();
        var config = serving.jobConfig();
        out.printf(Locale.ROOT, "cores %d, java %s, max heap %.0f MiB; model %s, %d steps, batching %s, in flight per "
                        + "slot %d%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() / 1048576.0, serving.modelDir(), serving.steps,
                config.batching().policy(), config.generation().maxInFlightPerSlot());
        out.flush();
        BacklogBenchmark.Report r = new BacklogBenchmark(new BacklogBenchmark.Settings(config, serving.sizes(),
                requests, serving.steps, serving.guidance, seconds, seed, serving.work), out).run();
        out.printf(Locale.ROOT, "%nheap before the job %.0f MiB; during the run: peak used %.0f MiB, peak committed "
                        + "%.0f MiB, peak live after GC %.0f MiB (max heap %.0f MiB)%n", r.baselineUsedMib(),
                r.peakUsedMib(), r.peakCommittedMib(), r.peakLiveAfterGcMib(), r.maxHeapMib());
        out.printf(Locale.ROOT, "drained %,d of %,d in %.0f s after the first result: %.2f videos/s; %,d still in "
                + "Kafka%n", r.drained(), r.queued(), r.drainSeconds(), r.drainPerSecond(), r.queued() - r.drained());
        if (plot != null) {
            BacklogBenchmark.plot(r, plot);
            out.println("plot written to " + plot);
        }
        out.flush();
        json.result(new Result(Machine.current(), serving.modelDir(), serving.steps, config.batching().policy(),
                config.generation().maxInFlightPerSlot(), r, plot));
        return 0;
    }
}
