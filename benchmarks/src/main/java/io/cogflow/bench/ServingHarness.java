package io.cogflow.bench;

import io.cogflow.client.RequestProducer;
import io.cogflow.client.TopicReader;
import io.cogflow.localkafka.LocalKafkaBroker;
import io.cogflow.job.JobConfig;
import io.cogflow.job.LocalJob;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.OutputFormat;
import io.cogflow.schemas.Status;
import org.apache.kafka.clients.admin.NewTopic;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whole service on loopback for the serving benchmarks: a local Kafka broker (its own process), the job in a
 * MiniCluster in this JVM, a request producer and a results reader that timestamps every result as it becomes
 * visible (read_committed: after the checkpoint that commits it). Requests can be queued in Kafka before the job
 * starts, to measure a backlog.
 */
public final class ServingHarness implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServingHarness.class);


    /** One request's life as the client sees it. */
    public record Timing(String id, long sentNanos, long receivedNanos, Status status, double queueMs,
                         double generateMs, int batchSize) {
        public double latencyMs() {
            return (receivedNanos - sentNanos) / 1e6;
        }
    }

    private final LocalKafkaBroker broker;
    private final JobConfig config;
    private final RequestProducer producer;
    private final TopicReader<GenerationResult> results;
    private final Map<String, Long> sent = new ConcurrentHashMap<>();
    private final Map<String, Timing> received = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean closing;
    private LocalJob job;

    private ServingHarness(LocalKafkaBroker broker, JobConfig config) {
        this.broker = broker;
        this.config = config;
        this.producer = new RequestProducer(broker.bootstrapServers(), config.kafka().requestsTopic(), Map.of());
        this.results = new TopicReader<>(GenerationResult.class, broker.bootstrapServers(),
                config.kafka().resultsTopic(), Map.of(), true);
        this.reader = new Thread(this::readResults, "bench-results");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a broker and creates the topics; the job starts with {@link #startJob()} (so a backlog can be queued
     * first). {@code base} supplies model, batching, generation and checkpoint settings; Kafka addresses are the
     * local broker's.
     */
    public static ServingHarness open(JobConfig base, Path claims) {
        LocalKafkaBroker broker = LocalKafkaBroker.builder().port(0).start();
        try {
            JobConfig.Kafka kafka = new JobConfig.Kafka(broker.bootstrapServers(), null, null, null, null, null,
                    null, 0, null);
            broker.createTopics(List.of(new NewTopic(kafka.requestsTopic(), 2, (short) 1),
                    new NewTopic(kafka.resultsTopic(), 1, (short) 1), new NewTopic(kafka.progressTopic(), 1, (short) 1),
                    new NewTopic(kafka.deadLetterTopic(), 1, (short) 1)));
            JobConfig config = base.withKafka(kafka).withResults(new JobConfig.Results(512 * 1024,
                    claims.toUri().toString()));
            return new ServingHarness(broker, config);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    public JobConfig config() {
        return config;
    }

    public void startJob() throws Exception {
        job = LocalJob.start(config, "cogflow-bench");
    }

    /** Sends one request now (the clock for its latency starts here). */
    public void send(String id, String prompt, VideoSize size, int steps, double guidance, long seed) {
        GenerationRequest r = GenerationRequest.newBuilder().setRequestId(id).setPrompt(prompt)
                .setWidth(size.width()).setHeight(size.height()).setFrames(size.frames()).setSteps(steps)
                .setGuidance(guidance).setSeed(seed).setOutputFormat(OutputFormat.MP4).build();
        sent.put(id, System.nanoTime());
        producer.send(r);
    }

    public void flush() {
        producer.flush();
    }

    /** Waits until every id has a result or the timeout passes; returns how many arrived. */
    public int await(List<String> ids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ids.stream().allMatch(received::containsKey)) {
                return ids.size();
            }
            Thread.sleep(20);
        }
        return (int) ids.stream().filter(received::containsKey).count();
    }

    /** CPU seconds the broker process has used so far (NaN where the OS does not say). */
    public double brokerCpuSeconds() {
        return ProcessHandle.of(broker.pid()).flatMap(p -> p.info().totalCpuDuration())
                .map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    public int receivedCount() {
        return received.size();
    }

    /** Results of the given ids that arrived, in the given order. */
    public List<Timing> timings(List<String> ids) {
        List<Timing> out = new ArrayList<>();
        for (String id : ids) {
            Timing t = received.get(id);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * Results per second from the first visible result to the last, not counting the first burst: results become
     * visible per checkpoint, and the first burst is the pipeline filling up.
     */
    public static double steadyRate(List<Timing> timings) {
        long[] at = timings.stream().mapToLong(Timing::receivedNanos).sorted().toArray();
        if (at.length < 2 || at[at.length - 1] == at[0]) {
            return Double.NaN;
        }
        int burst = 0;
        while (burst < at.length && at[burst] - at[0] < 50_000_000L) {
            burst++;
        }
        return (at.length - burst) / ((at[at.length - 1] - at[0]) / 1e9);
    }

    private void readResults() {
        while (!closing) {
            try {
                for (GenerationResult r : results.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    String id = r.getRequestId().toString();
                    Long at = sent.get(id);
                    var t = r.getTimings();
                    received.putIfAbsent(id, new Timing(id, at == null ? now : at, now, r.getStatus(),
                            t == null ? Double.NaN : t.getQueueMs(), t == null ? Double.NaN : t.getTotalMs(),
                            r.getBatchSize()));
                }
            } catch (RuntimeException e) {
                if (!closing) {
                    LOG.error("the benchmark's result reader stopped", e);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        closing = true;
        reader.join(5_000);
        try {
            if (job != null) {
                job.close();
            }
        } finally {
            results.close();
            producer.close();
            broker.close();
        }
    }
}
