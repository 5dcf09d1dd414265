package io.cogflow.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.cogflow.connectors.claimcheck.ObjectPermissions;
import io.cogflow.scheduling.AdaptivePolicy;
import io.cogflow.scheduling.BatchingPolicy;
import io.cogflow.scheduling.ContinuousPolicy;
import io.cogflow.scheduling.RoutingPolicy;
import io.cogflow.scheduling.SlotPolicy;
import io.cogflow.scheduling.FixedWaitPolicy;
import io.cogflow.model.export.ModelLoadOptions;
import io.cogflow.model.export.ModelTrust;
import io.cogflow.model.export.TextEncoderDevice;
import io.cogflow.model.export.XlaSignatures;
import io.cogflow.model.pipeline.BatchProfile;
import io.cogflow.model.pipeline.VideoSize;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The streaming job's configuration, read from a YAML file in {@code configs/} (snake_case keys). Every section
 * has defaults, so a config names only what differs.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record JobConfig(Kafka kafka, Model model, Generation generation, Batching batching, Results results,
                        Validation validation, Metrics metrics, long checkpointIntervalMs, Checkpoints checkpoints,
                        DeadLetters deadLetters)
        implements Serializable {

    public JobConfig {
        kafka = kafka == null ? Kafka.defaults() : kafka;
        model = model == null ? new Model("model/demo-model", 0) : model;
        generation = generation == null ? Generation.defaults() : generation;
        batching = batching == null ? Batching.fixed(null, null) : batching;
        results = results == null ? new Results(512 * 1024, "cogflow-out/claims") : results;
        validation = validation == null ? Validation.defaults() : validation;
        metrics = metrics == null ? new Metrics(null) : metrics;
        checkpointIntervalMs = checkpointIntervalMs <= 0 ? 2000 : checkpointIntervalMs;
        checkpoints = checkpoints == null ? new Checkpoints(null) : checkpoints;
        deadLetters = deadLetters == null ? new DeadLetters(0) : deadLetters;
        long perRequest = Generation.requestStateBytes(validation.maxRecordBytes());
        if ((long) generation.maxInFlightPerSlot() * perRequest > generation.maxInFlightBytes()) {
            throw new IllegalArgumentException("generation.max_in_flight_per_slot (" + generation.maxInFlightPerSlot()
                    + ") requests of up to validation.max_record_bytes (" + validation.maxRecordBytes() + ", at most "
                    + perRequest + " bytes each in the generator's state) may exceed generation.max_in_flight_bytes ("
                    + generation.maxInFlightBytes() + "): lower one of the first two or raise the third");
        }
    }

    /**
     * @param clientProperties passed to every Kafka client (security.protocol, sasl.*, ssl.*, config.providers,
     *                         tuning); a property cogflow relies on is refused when it conflicts, never overridden
     *                         ({@link io.cogflow.client.ClientProperties})
     * @param transactionalIdPrefix an explicit prefix for the sinks' transactional ids; null (the default): derived
     *                              from the job's identity ({@link TransactionalIds}), so two deployments never
     *                              share one
     * @param transactionTimeoutMs must stay within the brokers' transaction.max.timeout.ms (15 min by default)
     */
    public record Kafka(String bootstrapServers, String requestsTopic, String resultsTopic, String progressTopic,
                        String deadLetterTopic, String groupId, String transactionalIdPrefix,
                        long transactionTimeoutMs, Map<String, String> clientProperties) implements Serializable {
        public Kafka {
            bootstrapServers = or(bootstrapServers, "127.0.0.1:9092");
            requestsTopic = or(requestsTopic, "cogflow.requests");
            resultsTopic = or(resultsTopic, "cogflow.results");
            progressTopic = or(progressTopic, "cogflow.progress");
            deadLetterTopic = or(deadLetterTopic, "cogflow.requests.dlq");
            groupId = or(groupId, "cogflow");
            transactionalIdPrefix = transactionalIdPrefix == null || transactionalIdPrefix.isBlank() ? null
                    : transactionalIdPrefix;
            transactionTimeoutMs = transactionTimeoutMs <= 0 ? 600_000 : transactionTimeoutMs;
            clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
        }

        static Kafka defaults() {
            return new Kafka(null, null, null, null, null, null, null, 0, null);
        }
    }

    /**
     * @param dir               an exported model (cogflow export)
     * @param trustedKeys       public-key files (PEM or DER, Ed25519); when any are given, only a model whose
     *                          manifest one of them signed ({@code cogflow export --sign}) is loaded — checked when
     *                          the job is built and again by every generator. Empty or absent: any intact model
     * @param xla               the signature kinds compiled with XLA ({@code encode_text}, {@code denoise},
     *                          {@code decode}); absent: {@link XlaSignatures#DEFAULT} (denoise, measured faster on
     *                          the CPU: docs/benchmarks.md), {@code []}: none
     * @param textEncoderDevice {@code model} (with the rest of the model: the GPU when there is one) or {@code cpu}
     *                          (the T5 weights stay in host memory); absent: {@code model}
     */
    public record Model(String dir, int threads, List<String> trustedKeys, List<String> xla, String textEncoderDevice)
            implements Serializable {
        public Model {
            trustedKeys = trustedKeys == null ? List.of() : List.copyOf(trustedKeys);
            xla = xla == null ? XlaSignatures.DEFAULT.names() : List.copyOf(xla);
            textEncoderDevice = textEncoderDevice == null ? TextEncoderDevice.MODEL.configName() : textEncoderDevice;
            XlaSignatures.of(xla); // refused here, when the config is read, rather than in every generator
            TextEncoderDevice.parse(textEncoderDevice);
        }

        public Model(String dir, int threads, List<String> trustedKeys) {
            this(dir, threads, trustedKeys, null, null);
        }

        public Model(String dir, int threads) {
            this(dir, threads, null);
        }

        /** This model section with another folder (everything else kept). */
        public Model withDir(String other) {
            return new Model(other, threads, trustedKeys, xla, textEncoderDevice);
        }

        /** Reads the key files: call where the model is loaded (the paths, not the keys, travel in the job graph). */
        public ModelTrust trust() {
            return trustedKeys.isEmpty() ? ModelTrust.ANY : ModelTrust.of(trustedKeys.stream().map(Path::of).toList());
        }

        /** How the generators prepare the model's graph. */
        public ModelLoadOptions loadOptions() {
            return ModelLoadOptions.defaults().withXla(XlaSignatures.of(xla))
                    .withTextEncoder(TextEncoderDevice.parse(textEncoderDevice));
        }
    }

    /**
     * @param slots            generator subtasks (parallelism of the gpu slot-sharing group)
     * @param gpuFallback      the GPU index to use when Flink reports none (MiniCluster never does); null: CPU
     * @param maxInFlightBytes what one generator subtask may hold in requests, in bytes of its checkpointed state:
     *                         the config is refused when {@code max_in_flight_per_slot} requests of the largest
     *                         accepted record ({@code validation.max_record_bytes}) could exceed it, so the bound
     *                         holds for every request without a check per request (default 64 MiB)
     * @param routing          how requests are spread over the slots: {@code rebalance} (default, every bucket over
     *                         every slot) or {@code bucket-affine} (each bucket over a set of slots sized to its
     *                         arrival rate, {@link io.cogflow.scheduling.BucketAffineRouter}; with a batching
     *                         profile the sets are sized from its throughput)
     */
    public record Generation(int slots, double cpuCores, int taskHeapMb, double gpus, String gpuFallback,
                             int maxInFlightPerSlot, long timeoutMs, long maxInFlightBytes, String routing)
            implements Serializable {
        /**
         * A request's fixed fields in the generator's state (numbers, enums, record headers), next to its text.
         * Measured with Flink's serializer in {@code OperatorTypesTest}.
         */
        static final int REQUEST_STATE_OVERHEAD = 256;

        public Generation {
            slots = slots <= 0 ? 1 : slots;
            cpuCores = cpuCores <= 0 ? 1.0 : cpuCores;
            taskHeapMb = taskHeapMb <= 0 ? 512 : taskHeapMb;
            maxInFlightPerSlot = maxInFlightPerSlot <= 0 ? 16 : maxInFlightPerSlot;
            timeoutMs = timeoutMs <= 0 ? 3_600_000 : timeoutMs;
            maxInFlightBytes = maxInFlightBytes <= 0 ? 64L << 20 : maxInFlightBytes;
            routing = RoutingPolicy.Kind.parse(routing).configName();
        }

        public Generation(int slots, double cpuCores, int taskHeapMb, double gpus, String gpuFallback,
                          int maxInFlightPerSlot, long timeoutMs, long maxInFlightBytes) {
            this(slots, cpuCores, taskHeapMb, gpus, gpuFallback, maxInFlightPerSlot, timeoutMs, maxInFlightBytes, null);
        }

        static Generation defaults() {
            return new Generation(1, 1.0, 512, 0, null, 16, 3_600_000, 0);
        }

        /** The same settings with another routing policy. */
        public Generation withRouting(String r) {
            return new Generation(slots, cpuCores, taskHeapMb, gpus, gpuFallback, maxInFlightPerSlot, timeoutMs,
                    maxInFlightBytes, r);
        }

        /**
         * The most one request takes in the generator's state, for a record of {@code recordBytes}: its text in
         * Flink's string encoding, which writes a UTF-16 unit in up to 3 bytes (so a 4-byte UTF-8 character takes
         * 6, 1.5 times its wire size; counted as 2), plus the fixed fields. The client metadata is not kept.
         */
        static long requestStateBytes(int recordBytes) {
            return 2L * recordBytes + REQUEST_STATE_OVERHEAD;
        }
    }

    /**
     * How each generator slot forms batches.
     *
     * @param policy          {@code fixed} (default): {@code max_batch} / {@code max_wait_ms} per size ("WIDTHxHEIGHTxFRAMES",
     *                        others use {@code defaults}); {@code adaptive}: batch size and wait per bucket from the
     *                        measured {@code profile}, the slot's measured batch times and {@code latency_target_ms}
     *                        ({@link AdaptivePolicy}), the fixed limits for sizes the profile lacks; {@code none}:
     *                        every request alone, at once; {@code continuous}: iteration-level batching, a running
     *                        set per bucket that requests join and leave at step boundaries
     *                        ({@link io.cogflow.scheduling.ContinuousBatcher}), capped by the adaptive policy's batch
     *                        size when a {@code profile} is given, else by {@code max_batch}
     * @param profile         a batch profile file ({@code cogflow bench profile}), read when the job is built
     * @param latencyTargetMs what the adaptive policy plans for: queueing plus generation of one request
     * @param priorityAgingMs continuous: a waiting request gains one priority level per this many ms (default 1000)
     * @param decodeChunk     continuous: videos decoded between two denoising steps (default 1)
     */
    public record Batching(String policy, FixedWaitPolicy.Limits defaults, Map<String, FixedWaitPolicy.Limits> buckets,
                           String profile, long latencyTargetMs, long priorityAgingMs, int decodeChunk)
            implements Serializable {
        public static final List<String> POLICIES = List.of("fixed", "adaptive", "none", "continuous");

        public Batching {
            policy = policy == null || policy.isBlank() ? "fixed" : policy.trim().toLowerCase(java.util.Locale.ROOT);
            defaults = defaults == null ? new FixedWaitPolicy.Limits(4, 2000) : defaults;
            buckets = buckets == null ? Map.of() : Map.copyOf(buckets);
            buckets.keySet().forEach(VideoSize::parse);
            latencyTargetMs = latencyTargetMs <= 0 ? 10_000 : latencyTargetMs;
            priorityAgingMs = priorityAgingMs <= 0 ? ContinuousPolicy.DEFAULT_PRIORITY_AGING_MS : priorityAgingMs;
            decodeChunk = decodeChunk <= 0 ? ContinuousPolicy.DEFAULT_DECODE_CHUNK : decodeChunk;
            if (!POLICIES.contains(policy)) {
                throw new IllegalArgumentException("batching.policy must be one of " + String.join(", ", POLICIES)
                        + ", got '" + policy + "'");
            }
            if (policy.equals("adaptive") && (profile == null || profile.isBlank())) {
                throw new IllegalArgumentException("batching.policy adaptive needs batching.profile (a file from "
                        + "cogflow bench profile)");
            }
        }

        public Batching(String policy, FixedWaitPolicy.Limits defaults, Map<String, FixedWaitPolicy.Limits> buckets,
                        String profile, long latencyTargetMs) {
            this(policy, defaults, buckets, profile, latencyTargetMs, 0, 0);
        }

        public static Batching fixed(FixedWaitPolicy.Limits defaults, Map<String, FixedWaitPolicy.Limits> buckets) {
            return new Batching("fixed", defaults, buckets, null, 0);
        }

        /** The same settings under another policy. */
        public Batching withPolicy(String p) {
            return new Batching(p, defaults, buckets, profile, latencyTargetMs, priorityAgingMs, decodeChunk);
        }

        /** The same settings with another profile file. */
        public Batching withProfile(String file) {
            return new Batching(policy, defaults, buckets, file, latencyTargetMs, priorityAgingMs, decodeChunk);
        }

        public FixedWaitPolicy.Limits limits(VideoSize size) {
            return buckets.getOrDefault(size.toString(), defaults);
        }

        /**
         * The request-level policy this section describes (for {@code continuous}: the one that caps its running
         * sets); reads the profile file (relative paths: the working directory).
         */
        public BatchingPolicy toPolicy() {
            FixedWaitPolicy fixed = new FixedWaitPolicy(defaults, buckets);
            boolean profiled = profile != null && !profile.isBlank();
            return switch (policy) {
                case "none" -> FixedWaitPolicy.none();
                case "adaptive" -> new AdaptivePolicy(BatchProfile.read(Path.of(profile)), latencyTargetMs, fixed);
                case "continuous" -> profiled
                        ? new AdaptivePolicy(BatchProfile.read(Path.of(profile)), latencyTargetMs, fixed) : fixed;
                default -> fixed;
            };
        }

        /** How each slot schedules: request-level batches, or continuous batching. */
        public SlotPolicy toSlotPolicy() {
            BatchingPolicy p = toPolicy();
            return policy.equals("continuous") ? new ContinuousPolicy(p, priorityAgingMs, decodeChunk)
                    : new SlotPolicy.RequestLevel(p);
        }
    }

    /**
     * @param inlineLimitBytes videos above it go to the claim-check store
     * @param claimCheckMode   POSIX mode of the stored videos on a local or mounted file system, octal ({@code 0640})
     *                         or symbolic ({@code rw-r-----}); default {@code 0644}, readable by the consumers of a
     *                         shared mount. Object stores and HDFS use their own ACLs
     */
    public record Results(long inlineLimitBytes, String claimCheckUri, String claimCheckMode) implements Serializable {
        public Results {
            // parsed here so a bad mode is refused when the config is read, not on the first large video
            claimCheckMode = ObjectPermissions.parse(claimCheckMode == null ? "0644" : claimCheckMode).symbolic();
        }

        public Results(long inlineLimitBytes, String claimCheckUri) {
            this(inlineLimitBytes, claimCheckUri, null);
        }

        public ObjectPermissions claimCheckPermissions() {
            return ObjectPermissions.parse(claimCheckMode);
        }
    }

    /**
     * Where checkpoints go. Flink's default keeps them in the JobManager's heap, which refuses a checkpoint above
     * 5 MiB — a few large requests in flight — and fails the job; files have no such limit.
     *
     * @param dir a file-system URI ({@code file:///…}, {@code s3://…}, {@code hdfs://…}) every TaskManager and the
     *            JobManager can reach; null: a local working folder in embedded runs ({@link LocalJob}), the
     *            cluster's own {@code execution.checkpointing.dir} on a cluster
     */
    public record Checkpoints(String dir) implements Serializable {
        public Checkpoints {
            if (dir != null && dir.isBlank()) {
                dir = null;
            }
            if (dir != null && !dir.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                throw new IllegalArgumentException("checkpoints.dir must be a URI with a scheme (file:///var/cogflow/"
                        + "checkpoints, s3://bucket/cogflow): a bare path means another folder on every machine");
            }
        }
    }

    /**
     * @param keepBytes how much of an undecodable record's key and of its value a dead letter keeps (their full
     *                  size and SHA-256 are in its error text); default 64 KiB, at most 1 MiB so a dead letter
     *                  stays far below any sink's request size
     */
    public record DeadLetters(int keepBytes) implements Serializable {
        static final int DEFAULT_KEEP_BYTES = 64 * 1024;
        static final int MAX_KEEP_BYTES = 1024 * 1024;

        public DeadLetters {
            if (keepBytes > MAX_KEEP_BYTES) {
                throw new IllegalArgumentException("dead_letters.keep_bytes must be at most " + MAX_KEEP_BYTES);
            }
            keepBytes = keepBytes <= 0 ? DEFAULT_KEEP_BYTES : keepBytes;
        }
    }

    /**
     * The limits every request is checked against before it may queue for a GPU ({@link RequestLimits};
     * docs/limits.md has the table). A key left out (or 0) takes its default; a negative value, or one past what
     * the job supports, is refused when the config is read rather than discovered on the first hostile request.
     *
     * @param maxRecordBytes the raw Kafka value: larger ones are not decoded at all but dead-lettered
     * @param maxPromptChars Unicode code points, not UTF-16 units: an emoji counts once
     * @param maxMetadataBytes {@code client_metadata} keys and values together, in UTF-8
     * @param maxGuidance guidance must lie in [0, max_guidance]
     * @param maxPriority priority must lie in [-max_priority, max_priority]
     */
    public record Validation(int maxRecordBytes, int maxRequestIdBytes, int maxPromptChars, int maxPromptBytes,
                             int maxNegativePromptChars, int maxNegativePromptBytes, int maxMetadataEntries,
                             int maxMetadataBytes, int maxSteps, double maxGuidance, int maxFps, int maxPriority)
            implements Serializable {
        /** Above these a setting is refused: what the sampler, the encoders and the Kafka defaults support. */
        static final int CEILING_RECORD_BYTES = 8 * 1024 * 1024;
        static final int CEILING_STEPS = 1000;
        static final int CEILING_FPS = 120;
        static final double CEILING_GUIDANCE = 100;

        public Validation {
            maxRecordBytes = limit("max_record_bytes", maxRecordBytes, 64 * 1024, CEILING_RECORD_BYTES);
            maxRequestIdBytes = limit("max_request_id_bytes", maxRequestIdBytes, 256, 4096);
            maxPromptChars = limit("max_prompt_chars", maxPromptChars, 2000, 1 << 20);
            maxPromptBytes = limit("max_prompt_bytes", maxPromptBytes, 8000, 4 << 20);
            maxNegativePromptChars = limit("max_negative_prompt_chars", maxNegativePromptChars, 2000, 1 << 20);
            maxNegativePromptBytes = limit("max_negative_prompt_bytes", maxNegativePromptBytes, 8000, 4 << 20);
            maxMetadataEntries = limit("max_metadata_entries", maxMetadataEntries, 32, 10_000);
            maxMetadataBytes = limit("max_metadata_bytes", maxMetadataBytes, 4096, 1 << 20);
            maxSteps = limit("max_steps", maxSteps, 100, CEILING_STEPS);
            maxFps = limit("max_fps", maxFps, 60, CEILING_FPS);
            maxPriority = limit("max_priority", maxPriority, 1000, Integer.MAX_VALUE);
            if (!Double.isFinite(maxGuidance) || maxGuidance < 0 || maxGuidance > CEILING_GUIDANCE) {
                throw new IllegalArgumentException("validation.max_guidance must be a number from 0 to "
                        + (int) CEILING_GUIDANCE + " (0: the default, 30)");
            }
            maxGuidance = maxGuidance == 0 ? 30 : maxGuidance;
        }

        public static Validation defaults() {
            return new Validation(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        /** 0 (or absent): the default; negative or above the ceiling: refused, naming the key but not the value. */
        private static int limit(String key, int value, int dflt, int ceiling) {
            if (value < 0 || value > ceiling) {
                throw new IllegalArgumentException("validation." + key + " must be from 1 to " + ceiling
                        + " (0 or absent: the default, " + dflt + ")");
            }
            return value == 0 ? dflt : value;
        }
    }

    /**
     * Metrics of embedded runs ({@code cogflow job --local}, {@code demo --metrics-port}). On a Flink cluster the
     * cluster's own {@code config.yaml} configures reporters (configs/cluster.yaml shows the lines).
     *
     * @param prometheusPort where the Prometheus reporter serves {@code /metrics}: a port ({@code 9249}) or a
     *                       range Flink tries in order ({@code 9249-9259}); null: the command's default
     */
    public record Metrics(String prometheusPort) implements Serializable {
        public Metrics {
            if (prometheusPort != null && !prometheusPort.strip().matches("\\d{1,5}(-\\d{1,5})?")) {
                throw new IllegalArgumentException("metrics.prometheus_port must be a port (9249) or a range "
                        + "(9249-9259)");
            }
            prometheusPort = prometheusPort == null ? null : prometheusPort.strip();
        }
    }

    private static String or(String v, String dflt) {
        return v == null || v.isBlank() ? dflt : v;
    }

    /** Reads a config file; a mistake is one line naming the file, line, column and key (never a value). */
    public static JobConfig load(Path file) {
        return ConfigYaml.read(file, JobConfig.class);
    }

    public static JobConfig parse(String yaml) {
        return ConfigYaml.parse(yaml, "job config", JobConfig.class);
    }

    public JobConfig withKafka(Kafka k) {
        return new JobConfig(k, model, generation, batching, results, validation, metrics, checkpointIntervalMs,
                checkpoints, deadLetters);
    }

    public JobConfig withModel(Model m) {
        return new JobConfig(kafka, m, generation, batching, results, validation, metrics, checkpointIntervalMs,
                checkpoints, deadLetters);
    }

    public JobConfig withResults(Results r) {
        return new JobConfig(kafka, model, generation, batching, r, validation, metrics, checkpointIntervalMs,
                checkpoints, deadLetters);
    }

    public JobConfig withBatching(Batching b) {
        return new JobConfig(kafka, model, generation, b, results, validation, metrics, checkpointIntervalMs,
                checkpoints, deadLetters);
    }

    public JobConfig withMetrics(Metrics m) {
        return new JobConfig(kafka, model, generation, batching, results, validation, m, checkpointIntervalMs,
                checkpoints, deadLetters);
    }

    public JobConfig withCheckpoints(Checkpoints c) {
        return new JobConfig(kafka, model, generation, batching, results, validation, metrics, checkpointIntervalMs,
                c, deadLetters);
    }

    public JobConfig withGeneration(Generation g) {
        return new JobConfig(kafka, model, g, batching, results, validation, metrics, checkpointIntervalMs,
                checkpoints, deadLetters);
    }

    public JobConfig withValidation(Validation v) {
        return new JobConfig(kafka, model, generation, batching, results, v, metrics, checkpointIntervalMs,
                checkpoints, deadLetters);
    }

    public JobConfig withDeadLetters(DeadLetters d) {
        return new JobConfig(kafka, model, generation, batching, results, validation, metrics, checkpointIntervalMs,
                checkpoints, d);
    }
}
