package io.cogflow.job;

import io.cogflow.client.RequestProducer;
import io.cogflow.client.TopicReader;
import io.cogflow.client.claimcheck.Sha256;
import io.cogflow.connectors.claimcheck.ClaimCheckStores;
import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.Status;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15's poison requests, each against a real broker and the whole job: every one used to stop the service
 * (crash-looping sink, overflowing checkpoint state, a GPU slot held for minutes, fenced transactions, overwritten
 * videos). Each now gets its one answer, the requests after it get theirs, and the job never restarts.
 */
class PoisonRequestsTest {
    /** The limits at their ceilings, as far as a record goes: the job's own bounds are what is tested then. */
    private static final String RAISED_LIMITS = """
            validation: {max_record_bytes: 8388608, max_negative_prompt_bytes: 4194304,
                         max_negative_prompt_chars: 1048576}
            generation: {max_in_flight_bytes: 536870912}
            """;
    /** A producer that sends what the broker takes (8 MiB), not Kafka's 1 MiB default. */
    private static final Map<String, String> LARGE_RECORDS = Map.of("max.request.size", Integer.toString(9 << 20));
    private static JobFixture fixture;

    @BeforeAll
    static void startBroker() {
        fixture = new JobFixture();
    }

    @AfterAll
    static void stopBroker() {
        fixture.close();
    }

    private static JobConfig raised(JobConfig config) {
        JobConfig limits = JobConfig.parse(RAISED_LIMITS);
        return config.withGeneration(new JobConfig.Generation(config.generation().slots(), 1.0, 512, 0, null,
                config.generation().maxInFlightPerSlot(), 0, limits.generation().maxInFlightBytes()))
                .withValidation(limits.validation());
    }

    /** Sends the poison, then a valid request; both answered, 0 restarts. Returns what was collected. */
    private static JobFixture.Collected sendThenOneMore(JobConfig config, String name, GenerationRequest poison,
                                                        int deadLetters) throws Exception {
        InMemoryReporter metrics = InMemoryReporter.createWithRetainedMetrics();
        try (LocalJob job = LocalJob.start(config, name, metrics.addToConfiguration(new Configuration()));
             RequestProducer producer = new RequestProducer(fixture.broker().bootstrapServers(),
                     config.kafka().requestsTopic(), LARGE_RECORDS)) {
            producer.sendRaw(null, io.cogflow.schemas.WireFormat.of(GenerationRequest.class).encode(poison)).get();
            producer.send(JobFixture.request("after", JobFixture.SIZES[0], 2)).get();
            JobFixture.Collected c = fixture.collect(config, deadLetters == 0 ? 2 : 1, deadLetters,
                    Duration.ofMinutes(3));
            assertThat(c.results().get("after").getStatus()).as("the request after the poison").isEqualTo(Status.SUCCEEDED);
            assertThat(c.duplicates()).isZero();
            assertThat(c.deadLetters()).hasSize(deadLetters);
            assertThat(JobFixture.gaugeValues(metrics, job, "numRestarts")).as("restarts").isNotEmpty()
                    .allMatch(restarts -> restarts == 0);
            return c;
        }
    }

    @Test
    void aFourAndAHalfMegabyteIdIsADeadLetterNotAResultTooLargeToSend() throws Exception {
        GenerationRequest poison = JobFixture.request("i".repeat(4_500_000), JobFixture.SIZES[0], 2);
        poison.setPrompt("a red circle");  // the fixture's prompt repeats the id
        // at the default limits the record is too large to decode; at the ceilings the id is too large to answer by
        for (JobConfig config : List.of(fixture.config("p-id-default"), raised(fixture.config("p-id-raised")))) {
            JobFixture.Collected c = sendThenOneMore(config, "poison-id", poison, 1);
            assertThat(c.deadLetters().get(0).getError().toString()).containsAnyOf("validation.max_record_bytes",
                    "request_id has 4500000 bytes");
            assertThat(c.deadLetters().get(0).getRawValue().remaining()).isLessThanOrEqualTo(
                    config.deadLetters().keepBytes());
        }
    }

    @Test
    void aSevenMebibyteNegativePromptIsRejectedBeforeItReachesState() throws Exception {
        GenerationRequest poison = JobFixture.request("neg-7m", JobFixture.SIZES[0], 2);
        poison.setNegativePrompt("n".repeat(7 << 20));
        JobFixture.Collected c = sendThenOneMore(raised(fixture.config("p-neg")), "poison-negative", poison, 0);
        assertThat(c.results().get("neg-7m").getStatus()).isEqualTo(Status.REJECTED);
        assertThat(c.results().get("neg-7m").getErrorCode().toString()).isEqualTo("NEGATIVE_PROMPT_TOO_LONG");
    }

    @Test
    void guidanceOf1e308IsRejectedNotAnAllNanVideo() throws Exception {
        GenerationRequest poison = JobFixture.request("g-1e308", JobFixture.SIZES[0], 2);
        poison.setGuidance(1e308);
        JobFixture.Collected c = sendThenOneMore(fixture.config("p-guidance"), "poison-guidance", poison, 0);
        assertThat(c.results().get("g-1e308").getStatus()).isEqualTo(Status.REJECTED);
        assertThat(c.results().get("g-1e308").getErrorCode().toString()).isEqualTo("BAD_GUIDANCE");
    }

    /** A 1000-step request used to hold a slot (and every request batched with it) for 200 times as long. */
    @Test
    void aThousandStepRequestIsRejectedAndNeverBatchedWithTwoStepOnes() throws Exception {
        JobConfig config = fixture.config("p-steps");
        InMemoryReporter metrics = InMemoryReporter.createWithRetainedMetrics();
        try (LocalJob job = LocalJob.start(config, "poison-steps", metrics.addToConfiguration(new Configuration()));
             RequestProducer producer = new RequestProducer(fixture.broker().bootstrapServers(),
                     config.kafka().requestsTopic(), Map.of())) {
            producer.send(JobFixture.request("steps-1000", JobFixture.SIZES[0], 1000));
            List<String> quick = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                producer.send(JobFixture.request("steps-2-" + i, JobFixture.SIZES[0], 2));
                quick.add("steps-2-" + i);
            }
            producer.flush();
            JobFixture.Collected c = fixture.collect(config, 7, 0, Duration.ofMinutes(3));
            assertThat(c.results().get("steps-1000").getStatus()).isEqualTo(Status.REJECTED);
            assertThat(c.results().get("steps-1000").getErrorCode().toString()).isEqualTo("BAD_STEPS");
            assertThat(c.succeeded()).containsExactlyInAnyOrderElementsOf(quick);
            assertThat(JobFixture.gaugeValues(metrics, job, "numRestarts")).allMatch(restarts -> restarts == 0);
        }
    }

    /**
     * Duplicate ids (docs/limits.md): every record is answered, a client that submits an id twice gets two
     * results; each result's claim-checked video is its own, never overwritten by the other's.
     */
    @Test
    void aDuplicateIdGetsTwoResultsEachWithItsOwnVideo() throws Exception {
        Path claims = Files.createTempDirectory("cogflow-dup-claims");
        JobConfig config = fixture.config("p-dup").withResults(new JobConfig.Results(1, claims.toUri().toString()));
        List<GenerationResult> dup = new ArrayList<>();
        try (LocalJob job = LocalJob.start(config, "poison-duplicate");
             RequestProducer producer = new RequestProducer(fixture.broker().bootstrapServers(),
                     config.kafka().requestsTopic(), Map.of());
             TopicReader<GenerationResult> results = new TopicReader<>(GenerationResult.class,
                     fixture.broker().bootstrapServers(), config.kafka().resultsTopic(), Map.of(), true)) {
            GenerationRequest first = JobFixture.request("dup", JobFixture.SIZES[0], 2);
            first.setSeed(1L);
            GenerationRequest second = JobFixture.request("dup", JobFixture.SIZES[0], 2);
            second.setSeed(2L);
            second.setPrompt("a blue square growing");
            producer.send(first).get();
            producer.send(second).get();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (dup.size() < 2 && System.nanoTime() < deadline) {
                dup.addAll(results.poll(Duration.ofMillis(300)));
            }
        }
        assertThat(dup).hasSize(2).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(Status.SUCCEEDED));
        assertThat(dup.get(0).getVideo().getUri().toString()).isNotEqualTo(dup.get(1).getVideo().getUri().toString());
        for (GenerationResult r : dup) {
            byte[] video = ClaimCheckStores.fetch(URI.create(r.getVideo().getUri().toString()));
            assertThat(Sha256.hex(video)).as("the video each result names is the one it describes")
                    .isEqualTo(r.getVideo().getSha256().toString());
        }
    }

    /**
     * Two deployments on one broker used to share the default transactional-id prefix and fence each other (1 of
     * 40 results in 70 s). With the prefix derived from each one's group and topics, both deliver everything.
     */
    @Test
    void twoDeploymentsOnOneBrokerDoNotFenceEachOther() throws Exception {
        List<JobConfig> configs = new ArrayList<>();
        for (String name : List.of("p-tx-a", "p-tx-b")) {
            // the fixture's topics, with no transactional-id prefix configured: the default each deployment gets
            JobConfig config = fixture.config(name);
            JobConfig.Kafka k = config.kafka();
            configs.add(config.withKafka(new JobConfig.Kafka(k.bootstrapServers(), k.requestsTopic(),
                    k.resultsTopic(), k.progressTopic(), k.deadLetterTopic(), k.groupId(), null, 0, null)));
        }
        assertThat(TransactionalIds.prefix(configs.get(0).kafka()))
                .isNotEqualTo(TransactionalIds.prefix(configs.get(1).kafka()));
        InMemoryReporter metrics = InMemoryReporter.createWithRetainedMetrics();
        Configuration flink = metrics.addToConfiguration(new Configuration());
        try (LocalJob a = LocalJob.start(configs.get(0), "deployment-a", flink);
             LocalJob b = LocalJob.start(configs.get(1), "deployment-b", flink)) {
            List<List<String>> ids = new ArrayList<>();
            for (JobConfig config : configs) {
                List<String> sent = new ArrayList<>();
                try (RequestProducer producer = new RequestProducer(fixture.broker().bootstrapServers(),
                        config.kafka().requestsTopic(), Map.of())) {
                    for (int i = 0; i < 20; i++) {
                        String id = config.kafka().groupId() + "-" + i;
                        producer.send(JobFixture.request(id, JobFixture.SIZES[i % 2], 1));
                        sent.add(id);
                    }
                }
                ids.add(sent);
            }
            for (int i = 0; i < 2; i++) {
                JobFixture.Collected c = fixture.collect(configs.get(i), 20, 0, Duration.ofMinutes(4));
                assertThat(c.succeeded()).containsExactlyInAnyOrderElementsOf(ids.get(i));
                assertThat(c.duplicates()).isZero();
            }
            for (LocalJob job : List.of(a, b)) {
                assertThat(JobFixture.gaugeValues(metrics, job, "numRestarts")).allMatch(restarts -> restarts == 0);
            }
        }
    }

    /** A second job with a prefix another job is writing with is refused before it can fence the first. */
    @Test
    void aSecondJobWithAPrefixInUseIsRefusedAndTheFirstKeepsDelivering() throws Exception {
        JobConfig first = fixture.config("p-shared-a");
        JobConfig second = fixture.config("p-shared-b");
        JobConfig.Kafka k = second.kafka();
        JobConfig sharing = second.withKafka(new JobConfig.Kafka(k.bootstrapServers(), k.requestsTopic(),
                k.resultsTopic(), k.progressTopic(), k.deadLetterTopic(), k.groupId(),
                first.kafka().transactionalIdPrefix(), 0, null));
        InMemoryReporter metrics = InMemoryReporter.createWithRetainedMetrics();
        List<String> ids = new ArrayList<>();
        try (LocalJob job = LocalJob.start(first, "shared-a", metrics.addToConfiguration(new Configuration()),
                TestGenerators.slowedDownBy(400));
             RequestProducer producer = new RequestProducer(fixture.broker().bootstrapServers(),
                     first.kafka().requestsTopic(), Map.of())) {
            // enough work that the first job is still committing results while the second one looks
            for (int i = 0; i < 120; i++) {
                producer.send(JobFixture.request("shared-" + i, JobFixture.SIZES[i % 2], 1));
                ids.add("shared-" + i);
            }
            producer.flush();
            fixture.collect(first, 4, 0, Duration.ofMinutes(2));  // it is writing
            assertThatThrownBy(() -> LocalJob.start(sharing, "shared-b").close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("transactional-id prefix '" + first.kafka().transactionalIdPrefix()
                            + "' is in use")
                    .hasMessageContaining("kafka.transactional_id_prefix");
            JobFixture.Collected c = fixture.collect(first, ids.size(), 0, Duration.ofMinutes(4));
            assertThat(c.succeeded()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(JobFixture.gaugeValues(metrics, job, "numRestarts")).allMatch(restarts -> restarts == 0);
        }
    }

    /**
     * A broker at Kafka's default 1 MiB limit (or a topic set lower) would refuse a result with a large inline
     * video, and fail the sink on every replay: the job is refused before it starts instead.
     */
    @Test
    void outputTopicsTooSmallForWhatTheJobWritesAreRefusedAtStart() throws Exception {
        JobConfig config = fixture.config("p-small-topic");
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.<String, Object>of("bootstrap.servers", fixture.broker().bootstrapServers()))) {
            var topic = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, config.kafka().resultsTopic());
            admin.incrementalAlterConfigs(Map.of(topic, List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                    new org.apache.kafka.clients.admin.ConfigEntry("max.message.bytes", "300000"),
                    org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get();
            // the controller has accepted the change; wait until the broker the job asks serves it too (it applies
            // the metadata a moment later, and a start in between would see the old limit)
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!"300000".equals(admin.describeConfigs(List.of(topic)).all().get().get(topic)
                    .get("max.message.bytes").value())) {
                assertThat(System.nanoTime()).as("the topic's new limit is served").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
        assertThatThrownBy(() -> LocalJob.start(config, "small-topic").close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("topic " + config.kafka().resultsTopic() + " takes records of at most 300000 bytes")
                .hasMessageContaining("results.inline_limit_bytes");
        // with videos above 200 KB sent to the claim-check store instead, the results fit: the job starts
        JobConfig fitting = config.withResults(new JobConfig.Results(200_000, config.results().claimCheckUri()));
        try (LocalJob job = LocalJob.start(fitting, "small-topic-fitting")) {
            assertThat(job.client().getJobID()).isNotNull();
        }
    }
}
