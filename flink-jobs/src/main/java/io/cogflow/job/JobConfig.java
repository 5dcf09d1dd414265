package io.cogflow.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cogflow.model.pipeline.VideoSize;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The streaming job's configuration, read from a YAML file in {@code configs/} (snake_case keys). Every section
 * has defaults, so a config names only what differs.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record JobConfig(Kafka kafka, Model model, Generation generation, Batching batching, Results results,
                        Validation validation, long checkpointIntervalMs, Testing testing) implements Serializable {

    public JobConfig {
        kafka = kafka == null ? Kafka.defaults() : kafka;
        model = model == null ? new Model("model/demo-model", 0) : model;
        generation = generation == null ? Generation.defaults() : generation;
        batching = batching == null ? new Batching(new BucketPolicy(4, 2000), Map.of()) : batching;
        results = results == null ? new Results(512 * 1024, "cogflow-out/claims") : results;
        validation = validation == null ? new Validation(2000) : validation;
        checkpointIntervalMs = checkpointIntervalMs <= 0 ? 2000 : checkpointIntervalMs;
        testing = testing == null ? new Testing(0, 0) : testing;
    }

    /**
     * @param securityProperties passed to every Kafka client as is (e.g. security.protocol, sasl.mechanism,
     *                           sasl.jaas.config, ssl.truststore.location)
     * @param transactionTimeoutMs must stay within the brokers' transaction.max.timeout.ms (15 min by default)
     */
    public record Kafka(String bootstrapServers, String requestsTopic, String resultsTopic, String progressTopic,
                        String deadLetterTopic, String groupId, String transactionalIdPrefix,
                        long transactionTimeoutMs, Map<String, String> securityProperties) implements Serializable {
        public Kafka {
            bootstrapServers = or(bootstrapServers, "127.0.0.1:9092");
            requestsTopic = or(requestsTopic, "cogflow.requests");
            resultsTopic = or(resultsTopic, "cogflow.results");
            progressTopic = or(progressTopic, "cogflow.progress");
            deadLetterTopic = or(deadLetterTopic, "cogflow.requests.dlq");
            groupId = or(groupId, "cogflow");
            transactionalIdPrefix = or(transactionalIdPrefix, "cogflow-results");
            transactionTimeoutMs = transactionTimeoutMs <= 0 ? 600_000 : transactionTimeoutMs;
            securityProperties = securityProperties == null ? Map.of() : Map.copyOf(securityProperties);
        }

        static Kafka defaults() {
            return new Kafka(null, null, null, null, null, null, null, 0, null);
        }
    }

    /** @param dir an exported model (cogflow export) */
    public record Model(String dir, int threads) implements Serializable {
    }

    /**
     * @param slots       generator subtasks (parallelism of the gpu slot-sharing group)
     * @param gpuFallback the GPU index to use when Flink reports none (MiniCluster never does); null: CPU
     */
    public record Generation(int slots, double cpuCores, int taskHeapMb, double gpus, String gpuFallback,
                             int maxInFlightPerSlot, long timeoutMs) implements Serializable {
        public Generation {
            slots = slots <= 0 ? 1 : slots;
            cpuCores = cpuCores <= 0 ? 1.0 : cpuCores;
            taskHeapMb = taskHeapMb <= 0 ? 512 : taskHeapMb;
            maxInFlightPerSlot = maxInFlightPerSlot <= 0 ? 16 : maxInFlightPerSlot;
            timeoutMs = timeoutMs <= 0 ? 3_600_000 : timeoutMs;
        }

        static Generation defaults() {
            return new Generation(1, 1.0, 512, 0, null, 16, 3_600_000);
        }
    }

    /** Per video size ("WIDTHxHEIGHTxFRAMES") batching; sizes not listed use {@code defaults}. */
    public record Batching(BucketPolicy defaults, Map<String, BucketPolicy> buckets) implements Serializable {
        public Batching {
            defaults = defaults == null ? new BucketPolicy(4, 2000) : defaults;
            buckets = buckets == null ? Map.of() : Map.copyOf(buckets);
            buckets.keySet().forEach(VideoSize::parse);
        }

        public BucketPolicy policy(VideoSize size) {
            return buckets.getOrDefault(size.toString(), defaults);
        }
    }

    /**
     * Triton's {@code max_batch_size} and {@code max_queue_delay}: a batch runs when it is full or when its oldest
     * request has waited {@code maxWaitMs}.
     */
    public record BucketPolicy(int maxBatch, long maxWaitMs) implements Serializable {
        public BucketPolicy {
            if (maxBatch < 1 || maxWaitMs < 0) {
                throw new IllegalArgumentException("batching needs max_batch ≥ 1 and max_wait_ms ≥ 0");
            }
        }
    }

    /** @param inlineLimitBytes videos above it go to the claim-check store */
    public record Results(long inlineLimitBytes, String claimCheckUri) implements Serializable {
    }

    public record Validation(int maxPromptChars) implements Serializable {
    }

    /** Test-only knobs: fail generation once after N batches; slow each batch down. Zero is off. */
    public record Testing(int failAfterBatches, long slowdownMs) implements Serializable {
    }

    private static String or(String v, String dflt) {
        return v == null || v.isBlank() ? dflt : v;
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static JobConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("job config not found: " + file);
        }
        try {
            return YAML.readValue(file.toFile(), JobConfig.class);
        } catch (IOException e) {
            String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                    : e.getMessage();
            throw new IllegalArgumentException(file + ": " + message, e);
        }
    }

    public static JobConfig parse(String yaml) {
        try {
            return YAML.readValue(yaml, JobConfig.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("job config: " + e.getMessage(), e);
        }
    }

    public JobConfig withKafka(Kafka k) {
        return new JobConfig(k, model, generation, batching, results, validation, checkpointIntervalMs, testing);
    }

    public JobConfig withModel(Model m) {
        return new JobConfig(kafka, m, generation, batching, results, validation, checkpointIntervalMs, testing);
    }

    public JobConfig withTesting(Testing t) {
        return new JobConfig(kafka, model, generation, batching, results, validation, checkpointIntervalMs, t);
    }

    public JobConfig withResults(Results r) {
        return new JobConfig(kafka, model, generation, batching, r, validation, checkpointIntervalMs, testing);
    }

    public JobConfig withGeneration(Generation g) {
        return new JobConfig(kafka, model, g, batching, results, validation, checkpointIntervalMs, testing);
    }
}
