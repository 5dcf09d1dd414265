package io.cogflow.cli;

import io.cogflow.client.RequestProducer;
import io.cogflow.client.TopicReader;
import io.cogflow.client.ResultVideos;
import io.cogflow.localkafka.LocalKafkaBroker;
import io.cogflow.job.JobConfig;
import io.cogflow.job.LocalJob;
import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.OutputFormat;
import io.cogflow.schemas.Status;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
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

    @Mixin
    JsonOutput json;

    /**
     * The --json document, which {@code bench cold-start} reads from a fresh JVM. Seconds count from the start of
     * this command; the first result's wall clock ({@code firstResultEpochMillis}) lets a parent process time from
     * its own start of this one. The first-result fields are null when no result arrived.
     *
     * @param allDoneSeconds    when everything was shut down
     * @param results           the results that arrived, in the order of the requests
     * @param missingRequestIds requests still without a result when the timeout passed
     */
    record Result(Path model, int steps, double guidance, double brokerUpSeconds, Double firstResultSeconds,
                  Double modelLoadSeconds, Long firstResultEpochMillis, double allDoneSeconds,
                  List<RequestResult> results, List<String> missingRequestIds) {
        Result {
            results = List.copyOf(results);
            missingRequestIds = List.copyOf(missingRequestIds);
        }
    }

    /** One result, as a row of the table; {@code file} is null when no video was saved. */
    record RequestResult(String requestId, Status status, int width, int height, int frames, int batchSize,
                         double seconds, Path file, String errorMessage) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = json.text();
        Path modelDir = model == null ? RepositoryPaths.demoModel() : model;
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        o.println("starting a local Kafka broker...");
        o.flush();
        double brokerUp;
        Double firstResult = null;
        Double modelLoad = null;
        Long firstResultAt = null;
        List<String> ids = new ArrayList<>();
        Map<String, GenerationResult> done = new LinkedHashMap<>();
        List<RequestResult> rows;
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().port(0).start()) {
            JobConfig.Kafka kafka = new JobConfig.Kafka(broker.bootstrapServers(), null, null, null, null, null,
                    null, 0, null);
            broker.createTopics(List.of(new NewTopic(kafka.requestsTopic(), 2, (short) 1),
                    new NewTopic(kafka.resultsTopic(), 1, (short) 1), new NewTopic(kafka.progressTopic(), 1, (short) 1),
                    new NewTopic(kafka.deadLetterTopic(), 1, (short) 1)));
            // the batching of configs/demo.yaml (its measured profile) and its model.xla / text encoder device,
            // everything else local
            JobConfig demo = Files.exists(RepositoryPaths.demoConfig()) ? JobConfig.load(RepositoryPaths.demoConfig())
                    : JobConfig.parse("{}");
            JobConfig.Batching batching = Files.exists(RepositoryPaths.demoConfig())
                    ? RepositoryPaths.repositoryRelative(demo.batching()) : demo.batching();
            JobConfig config = JobConfig.parse("checkpoint_interval_ms: 1000").withKafka(kafka).withBatching(batching)
                    .withModel(new JobConfig.Model(modelDir.toString(), 0, null, demo.model().xla(),
                            demo.model().textEncoderDevice()))
                    .withResults(new JobConfig.Results(512 * 1024, out.resolve("claims").toUri().toString()))
                    .withMetrics(new JobConfig.Metrics(metricsPort));
            brokerUp = (System.nanoTime() - t0) / 1e9;
            o.printf(Locale.ROOT, "broker %s up after %.1f s; starting the Flink job (model %s)...%n",
                    broker.bootstrapServers(), brokerUp, modelDir);
            o.flush();
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
                    ids.add(id);
                }
                requests.flush();
                o.printf(Locale.ROOT, "submitted %d requests; waiting for results...%n", ids.size());
                o.flush();
                long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
                while (done.size() < ids.size() && System.nanoTime() < deadline) {
                    for (GenerationResult r : results.poll(Duration.ofMillis(100))) {
                        if (done.isEmpty()) {
                            firstResultAt = System.currentTimeMillis();
                            firstResult = (System.nanoTime() - t0) / 1e9;
                            OptionalLong load = job.modelLoadMs(Duration.ofSeconds(5));
                            modelLoad = load.isPresent() ? load.getAsLong() / 1e3 : null;
                            o.printf(Locale.ROOT, "first result after %.1f s (model load %.1f s)%n", firstResult,
                                    modelLoad);
                            o.flush();
                        }
                        done.putIfAbsent(r.getRequestId().toString(), r);
                    }
                }
                rows = save(ids, done);
                printTable(o, ids, rows);
            }
        }
        List<String> missing = ids.stream().filter(id -> !done.containsKey(id)).toList();
        double allDone = (System.nanoTime() - t0) / 1e9;
        if (missing.isEmpty()) {
            o.printf(Locale.ROOT, "done in %.1f s; everything shut down%n", allDone);
        } else {
            o.printf("timed out: %d of %d results after %d s%n", done.size(), ids.size(), timeoutSeconds);
        }
        o.flush();
        json.result(new Result(modelDir, steps, guidance, brokerUp, firstResult, modelLoad, firstResultAt, allDone,
                rows, missing));
        return missing.isEmpty() ? 0 : Cogflow.FAIL;
    }

    /** The results that arrived, in request order, with their videos written to {@code --out}. */
    private List<RequestResult> save(List<String> ids, Map<String, GenerationResult> done) throws IOException {
        List<RequestResult> rows = new ArrayList<>();
        for (String id : ids) {
            GenerationResult r = done.get(id);
            if (r == null) {
                continue;
            }
            Path file = null;
            if (r.getStatus() == Status.SUCCEEDED && r.getVideo() != null) {
                file = ResultVideos.save(r, out, List.of(out.resolve("claims").toUri()));
            }
            double seconds = r.getTimings() == null ? 0 : r.getTimings().getTotalMs() / 1000;
            rows.add(new RequestResult(id, r.getStatus(), r.getWidth(), r.getHeight(), r.getFrames(),
                    r.getBatchSize(), seconds, file, r.getErrorMessage() == null ? null
                    : r.getErrorMessage().toString()));
        }
        return rows;
    }

    private static void printTable(PrintWriter o, List<String> ids, List<RequestResult> rows) {
        o.printf(Locale.ROOT, "%n%-8s %-10s %-11s %5s %9s  %s%n", "request", "status", "size", "batch", "time s", "file");
        Map<String, RequestResult> byId = new LinkedHashMap<>();
        rows.forEach(r -> byId.put(r.requestId(), r));
        for (String id : ids) {
            RequestResult r = byId.get(id);
            if (r == null) {
                o.printf(Locale.ROOT, "%-8s %-10s%n", id, "(missing)");
                continue;
            }
            String size = r.width() + "x" + r.height() + "x" + r.frames();
            o.printf(Locale.ROOT, "%-8s %-10s %-11s %5d %9.2f  %s%s%n", id, r.status(), size, r.batchSize(),
                    r.seconds(), r.file() == null ? "" : r.file(), r.errorMessage() == null ? "" : "  "
                            + r.errorMessage());
        }
        o.println();
        o.flush();
    }
}
