package io.cogflow.job;

import io.cogflow.client.TopicReader;
import io.cogflow.localkafka.LocalKafkaBroker;
import io.cogflow.schemas.DeadLetter;
import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.Status;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.kafka.clients.admin.NewTopic;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the tests of the whole job share: a real KRaft broker, a config on fresh topics with the plumbing model,
 * requests, and the answers read back (read_committed) — and the job's metrics, through {@link InMemoryReporter}.
 */
final class JobFixture implements AutoCloseable {
    static final String[] SIZES = {"64x64x9", "96x64x9", "128x128x17"};
    private final LocalKafkaBroker broker = LocalKafkaBroker.builder().port(0).start();

    LocalKafkaBroker broker() {
        return broker;
    }

    JobConfig config(String prefix) {
        JobConfig.Kafka kafka = new JobConfig.Kafka(broker.bootstrapServers(), prefix + ".requests",
                prefix + ".results", prefix + ".progress", prefix + ".dlq", prefix, prefix, 0, null);
        broker.createTopics(List.of(new NewTopic(kafka.requestsTopic(), 2, (short) 1),
                new NewTopic(kafka.resultsTopic(), 1, (short) 1), new NewTopic(kafka.progressTopic(), 1, (short) 1),
                new NewTopic(kafka.deadLetterTopic(), 1, (short) 1)));
        return JobConfig.parse("""
                        checkpoint_interval_ms: 500
                        generation: {slots: 2, max_in_flight_per_slot: 8}
                        batching: {defaults: {max_batch: 4, max_wait_ms: 1500}}
                        """).withKafka(kafka)
                // without XLA: a generator's warm-up would compile every (size, batch) shape, tens of seconds per
                // subtask and again after each restart; WarmUpMetricTest runs the default (XLA on denoise)
                .withModel(new JobConfig.Model(TestModels.plumbing().toString(), 1, null, List.of(), null))
                .withResults(new JobConfig.Results(512 * 1024, Path.of(System.getProperty("java.io.tmpdir"))
                        .resolve("cogflow-it-claims").toUri().toString()));
    }

    static GenerationRequest request(String id, String size, int steps) {
        String[] s = size.split("x");
        return GenerationRequest.newBuilder().setRequestId(id).setPrompt("a red circle moving left " + id)
                .setWidth(Integer.parseInt(s[0])).setHeight(Integer.parseInt(s[1])).setFrames(Integer.parseInt(s[2]))
                .setSteps(steps).build();
    }

    /** The values of a gauge the job registered under {@code name}, one per subtask (or one for a job metric). */
    static List<Long> gaugeValues(InMemoryReporter metrics, LocalJob job, String name) {
        return metrics.findMetrics(job.client().getJobID(), "\\." + name + "$").values().stream()
                .map(m -> ((Number) ((Gauge<?>) m).getValue()).longValue()).toList();
    }

    record Collected(Map<String, GenerationResult> results, List<DeadLetter> deadLetters, int duplicates) {
        List<String> succeeded() {
            return results.values().stream().filter(r -> r.getStatus() == Status.SUCCEEDED)
                    .map(r -> r.getRequestId().toString()).toList();
        }

        /** "id STATUS" of each: what an assertion prints (a whole result would carry its video). */
        List<String> rejectedOrExpired() {
            return results.values().stream().filter(r -> r.getStatus() == Status.REJECTED
                    || r.getStatus() == Status.EXPIRED).map(r -> r.getRequestId() + " " + r.getStatus()).toList();
        }

        double meanBatchSize() {
            return results.values().stream().filter(r -> r.getStatus() == Status.SUCCEEDED)
                    .mapToInt(GenerationResult::getBatchSize).average().orElse(0);
        }
    }

    /** Reads results and dead letters (read_committed) until the expected counts, then a little longer. */
    Collected collect(JobConfig config, int results, int deadLetters, Duration timeout) {
        Map<String, GenerationResult> byId = new HashMap<>();
        List<DeadLetter> dead = new ArrayList<>();
        int duplicates = 0;
        try (TopicReader<GenerationResult> r = new TopicReader<>(GenerationResult.class, broker.bootstrapServers(),
                config.kafka().resultsTopic(), Map.of(), true);
             TopicReader<DeadLetter> d = new TopicReader<>(DeadLetter.class, broker.bootstrapServers(),
                     config.kafka().deadLetterTopic(), Map.of(), true)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (GenerationResult g : r.poll(Duration.ofMillis(300))) {
                    if (byId.put(g.getRequestId().toString(), g) != null) {
                        duplicates++;
                    }
                }
                dead.addAll(d.poll(Duration.ofMillis(100)));
                if (settleUntil == Long.MAX_VALUE && byId.size() >= results && dead.size() >= deadLetters) {
                    // keep reading for a few checkpoints: a duplicate would show up now
                    settleUntil = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                }
            }
        }
        return new Collected(byId, dead, duplicates);
    }

    @Override
    public void close() {
        broker.close();
    }
}
