package io.cogflow.cli;

import io.cogflow.bench.chaos.ChaosBenchmark;
import io.cogflow.bench.chaos.Fault;
import io.cogflow.job.JobConfig;
import io.cogflow.model.pipeline.VideoSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cogflow bench chaos}: faults under steady load on a local cluster of separate processes. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"The job jar on a local standalone Flink cluster (separate JobManager and TaskManager "
                + "processes) with a local broker, under steady load, one fault at a time: tm-kill (kill -9 of the "
                + "TaskManager a generator runs on, then a replacement) and broker-restart (stopped and started on "
                + "the same log folders) and generator-error (the generator throws an Error inside a batch). Per fault: sent, distinct results (read_committed), duplicates, missing and "
                + "recovery time; last line 'chaos: sent=N results=N duplicates=N missing=N'. Exit 0 when nothing "
                + "was lost or duplicated."})
final class BenchChaos implements Callable<Integer> {
    @Option(names = "--requests", defaultValue = "60", description = "Requests over all faults (default 60).")
    int requests;

    @Option(names = "--task-managers", defaultValue = "2", description = "TaskManager processes (default 2).")
    int taskManagers;

    @Option(names = "--slots", defaultValue = "3",
            description = "Slots per TaskManager (default 3: the job fits on one, so it survives losing the other).")
    int slots;

    @Option(names = "--faults", split = ",", defaultValue = "tm-kill,broker-restart,generator-error",
            description = "Faults, in order: tm-kill, broker-restart, generator-error (default all three).")
    List<String> faults;

    @Option(names = "--model", description = "An exported model (default: the bundled demo model).")
    Path model;

    @Option(names = "--steps", defaultValue = "8", description = "Denoising steps per request (default 8).")
    int steps;

    @Option(names = "--interval-ms", defaultValue = "250", description = "One request every N ms (default 250).")
    long intervalMs;

    @Option(names = "--timeout", defaultValue = "600", description = "Seconds to wait for a round's results.")
    long timeoutSeconds;

    @Option(names = "--work", defaultValue = "target/bench-chaos", description = "Scratch folder (claim-check store).")
    Path work;

    @Mixin
    JsonOutput json;

    /** The --json document. */
    record Result(Machine machine, Path model, int steps, int taskManagers, ChaosBenchmark.Report report) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = json.text();
        Path modelDir = model == null ? RepositoryPaths.demoModel() : model;
        VideoSize size = io.cogflow.model.export.ModelManifest.read(modelDir).sizes().get(0).video();
        JobConfig base = JobConfig.parse("checkpoint_interval_ms: 500").withModel(new JobConfig.Model(
                        modelDir.toAbsolutePath().toString(), 1))
                .withResults(new JobConfig.Results(512 * 1024, work.resolve("claims").toAbsolutePath().toUri()
                        .toString()));
        ChaosBenchmark.Report report = new ChaosBenchmark(new ChaosBenchmark.Settings(base, RepositoryPaths.jobJar(),
                ClusterCommand.Up.libJars(RepositoryPaths.flinkLib()), size, steps, requests, taskManagers, slots,
                faults.stream().map(Fault::parse).toList(), Duration.ofMillis(intervalMs),
                Duration.ofSeconds(timeoutSeconds)), out).run();
        out.println(report.summary());
        out.flush();
        json.result(new Result(Machine.current(), modelDir, steps, taskManagers, report));
        return report.duplicates() == 0 && report.missing() == 0 ? 0 : Cogflow.FAIL;
    }
}
