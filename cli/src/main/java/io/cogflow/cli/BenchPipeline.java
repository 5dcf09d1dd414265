package io.cogflow.cli;

import io.cogflow.bench.PipelineBenchmark;
import io.cogflow.model.pipeline.VideoSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cogflow bench pipeline}: benchmark 2 of docs/benchmarks.md. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {"Pipeline efficiency: videos per second through Kafka -> Flink -> Kafka against the bare "
                + "VideoGenerator loop on the same model, bucket mix, batch size and requests, in one run (bare, "
                + "pipeline, bare again). Target >= 0.9."})
final class BenchPipeline implements Callable<Integer> {
    @Mixin
    ServingOptions serving;

    @Option(names = "--batch", defaultValue = "8", description = "Batch size of both (default 8).")
    int batch;

    @Option(names = "--requests", defaultValue = "96",
            description = "Videos per run, rounded up to whole batches of every bucket (default 96).")
    int requests;

    @Option(names = "--seed", defaultValue = "11", description = "Seed of the requests.")
    long seed;

    @Mixin
    JsonOutput json;

    /** The --json document: the settings the text's first line states, and the report (videos per second). */
    record Result(Machine machine, Path model, List<VideoSize> buckets, int steps, double guidance, int batch,
                  long checkpointMs, PipelineBenchmark.Report report) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = json.text();
        out.printf(Locale.ROOT, "cores %d, java %s; model %s, buckets %s, %d steps, guidance %.1f, batch %d, "
                        + "checkpoints every %d ms%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), serving.modelDir(), serving.sizes(), serving.steps,
                serving.guidance, batch, serving.checkpointMs);
        out.flush();
        PipelineBenchmark.Report r = new PipelineBenchmark(new PipelineBenchmark.Settings(serving.jobConfig(),
                serving.modelDir(), serving.sizes(), batch, requests, serving.steps, serving.guidance, seed,
                serving.work), out).run();
        json.result(new Result(Machine.current(), serving.modelDir(), serving.sizes(), serving.steps, serving.guidance,
                batch, serving.checkpointMs, r));
        return r.failed() == 0 ? 0 : Cogflow.FAIL;
    }
}
