package io.cogflow.cli;

import io.cogflow.client.RequestProducer;
import io.cogflow.client.TopicReader;
import io.cogflow.client.ResultVideos;
import io.cogflow.connectors.kafka.LocalKafkaBroker;
import io.cogflow.job.GenerateFunction;
import io.cogflow.job.JobConfig;
import io.cogflow.job.LocalJob;
import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.OutputFormat;
import io.cogflow.schemas.Status;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cogflow demo}: the whole service on this machine, end to end, then shut down. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a local Kafka broker, run the streaming job in an embedded Flink MiniCluster with the "
                + "bundled demo model (trained here, see docs/training.md), submit sample prompts, wait for every "
                + "result, write the videos "
                + "to --out, print a table and shut everything down."})
final class DemoCommand implements Callable<Integer> {
    /** The demo model's one size: 2 s at 8 fps, 64 × 64 (what it was trained on). */
    private static final String SIZE = "64x64x17";
    private static final String[][] PROMPTS = {
            {"a red circle moving left on a black background", SIZE, "MP4"},
            {"a blue square growing on a white background", SIZE, "MP4"},
            {"a green triangle moving up on a gradient background", SIZE, "MP4"},
            {"a yellow star shrinking on a black background", SIZE, "GIF"},
            {"a purple circle moving right on a gray background", SIZE, "MP4"},
            {"a orange square moving down on a black background", SIZE, "MP4"},
            {"a cyan star moving right on a gray background", SIZE, "PNG_SHEET"},
    };

    @Spec
    CommandSpec spec;

    @Option(names = "--model", description = "An exported model (default: the bundled demo model).")
    Path model;

    @Option(names = "--out", defaultValue = "cogflow-out", description = "Where videos go (default ./cogflow-out).")
    Path out;

    @Option(names = "--steps", defaultValue = "25", description = "Denoising steps per request (default 25).")
    int steps;

    @Option(names = "--guidance", defaultValue = "3.0",
            description = "Classifier-free guidance (default 3, the demo model's best on training prompts).")
    double guidance;

    @Option(names = "--timeout", defaultValue = "600", description = "Seconds to wait for all results.")
    int timeoutSeconds;

    @Option(names = "--metrics-port", description = "Serve the job's metrics for Prometheus on this port (or "
            + "range, e.g. 9249-9259) at /metrics while the demo runs (default: off).")
    String metricsPort;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Path modelDir = model == null ? Paths.demoModel() : model;
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        o.println("starting a local Kafka broker...");
        o.flush();
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().port(0).start()) {
            JobConfig.Kafka kafka = new JobConfig.Kafka(broker.bootstrapServers(), null, null, null, null, null,
                    null, 0, null);
            broker.createTopics(List.of(new NewTopic(kafka.requestsTopic(), 2, (short) 1),
                    new NewTopic(kafka.resultsTopic(), 1, (short) 1), new NewTopic(kafka.progressTopic(), 1, (short) 1),
                    new NewTopic(kafka.deadLetterTopic(), 1, (short) 1)));
            // the batching of configs/demo.yaml (its measured profile), everything else local
            JobConfig.Batching batching = Files.exists(Paths.demoConfig())
                    ? Paths.repositoryRelative(JobConfig.load(Paths.demoConfig()).batching())
                    : JobConfig.parse("{}").batching();
            JobConfig config = JobConfig.parse("checkpoint_interval_ms: 1000").withKafka(kafka).withBatching(batching)
                    .withModel(new JobConfig.Model(modelDir.toString(), 0))
                    .withResults(new JobConfig.Results(512 * 1024, out.resolve("claims").toUri().toString()))
                    .withMetrics(new JobConfig.Metrics(metricsPort));
            o.printf(Locale.ROOT, "broker %s up after %.1f s; starting the Flink job (model %s)...%n",
                    broker.bootstrapServers(), (System.nanoTime() - t0) / 1e9, modelDir);
            o.flush();
            Map<String, Long> sentAt = new LinkedHashMap<>();
            try (LocalJob job = LocalJob.start(config, "cogflow-demo");
                 TopicReader<GenerationResult> results = new TopicReader<>(GenerationResult.class,
                         broker.bootstrapServers(), kafka.resultsTopic(), Map.of(),
                         true);
                 RequestProducer requests = new RequestProducer(broker.bootstrapServers(), kafka.requestsTopic(),
                         Map.of())) {
                for (int i = 0; i < PROMPTS.length; i++) {
                    String[] size = PROMPTS[i][1].split("x");
                    String id = "demo-" + (i + 1);
                    requests.send(GenerationRequest.newBuilder().setRequestId(id).setPrompt(PROMPTS[i][0])
                            .setWidth(Integer.parseInt(size[0])).setHeight(Integer.parseInt(size[1]))
                            .setFrames(Integer.parseInt(size[2])).setSteps(steps).setGuidance(guidance).setSeed((long) i)
                            .setOutputFormat(OutputFormat.valueOf(PROMPTS[i][2])).build());
                    sentAt.put(id, System.nanoTime());
                }
                requests.flush();
                o.printf(Locale.ROOT, "submitted %d requests; waiting for results...%n", sentAt.size());
                o.flush();
                Map<String, GenerationResult> done = new LinkedHashMap<>();
                long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
                while (done.size() < sentAt.size() && System.nanoTime() < deadline) {
                    for (GenerationResult r : results.poll(Duration.ofMillis(100))) {
                        if (done.isEmpty()) {
                            // bench cold-start reads this line
                            o.printf(Locale.ROOT, "first result after %.1f s (model load %.1f s)%n",
                                    (System.nanoTime() - t0) / 1e9, GenerateFunction.lastModelLoadMs() / 1e3);
                            o.flush();
                        }
                        done.putIfAbsent(r.getRequestId().toString(), r);
                    }
                }
                printTable(o, sentAt, done);
                if (done.size() < sentAt.size()) {
                    o.printf("timed out: %d of %d results after %d s%n", done.size(), sentAt.size(), timeoutSeconds);
                    return Cogflow.FAIL;
                }
            }
        }
        o.printf(Locale.ROOT, "done in %.1f s; everything shut down%n", (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private void printTable(PrintWriter o, Map<String, Long> sentAt, Map<String, GenerationResult> done)
            throws Exception {
        o.printf(Locale.ROOT, "%n%-8s %-10s %-11s %5s %9s  %s%n", "request", "status", "size", "batch", "time s", "file");
        for (String id : sentAt.keySet()) {
            GenerationResult r = done.get(id);
            if (r == null) {
                o.printf(Locale.ROOT, "%-8s %-10s%n", id, "(missing)");
                continue;
            }
            String file = "";
            if (r.getStatus() == Status.SUCCEEDED && r.getVideo() != null) {
                file = ResultVideos.save(r, out).toString();
            }
            String size = r.getWidth() + "x" + r.getHeight() + "x" + r.getFrames();
            double seconds = r.getTimings() == null ? 0 : r.getTimings().getTotalMs() / 1000;
            o.printf(Locale.ROOT, "%-8s %-10s %-11s %5d %9.2f  %s%s%n", id, r.getStatus(), size, r.getBatchSize(),
                    seconds, file, r.getErrorMessage() == null ? "" : "  " + r.getErrorMessage());
        }
        o.println();
        o.flush();
    }
}
