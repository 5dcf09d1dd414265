package io.cogflow.job;

import io.cogflow.connectors.flink.WireFormatSerializer;
import io.cogflow.client.ClientProperties;
import io.cogflow.schemas.DeadLetter;
import io.cogflow.schemas.GenerationResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.operators.SlotSharingGroup;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.cogflow.model.pipeline.BatchProfile;
import io.cogflow.scheduling.RoutingPolicy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The streaming job: requests from Kafka → decode (bad records to dead letters) → validate (bad requests get a
 * REJECTED/EXPIRED result at once) → route to a generator slot → generate on the {@code gpu} slot-sharing group (batched per
 * video size inside each subtask, asynchronously) → encode on CPU slots → results to Kafka exactly once.
 */
public final class CogflowJob {
    public static final String GPU_GROUP = "gpu";
    /** The producers' request size: Kafka's 1 MiB default is below one inline video at the default limits. */
    static final long MIN_MAX_REQUEST_BYTES = 8 * 1024 * 1024;
    /** Room for a result's other fields (ids, timings, error text) next to an inline video. */
    static final long RESULT_METADATA_BYTES = 64 * 1024;

    private CogflowJob() {
    }

    /** The Flink settings the job relies on: restarts from checkpoints after a failure. */
    public static Configuration flinkConfiguration() {
        Configuration c = new Configuration();
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        return c;
    }

    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        build(env, config, GeneratorFactory.TENSORFLOW);
    }

    /** @param generators how each generator subtask loads the model: {@link GeneratorFactory#TENSORFLOW}, or a test's */
    public static void build(StreamExecutionEnvironment env, JobConfig config, GeneratorFactory generators) {
        JobConfig.Kafka k = config.kafka();
        env.enableCheckpointing(config.checkpointIntervalMs(), CheckpointingMode.EXACTLY_ONCE);
        // A backlog fills the network buffers in front of the generator, which drains a few requests per second:
        // an aligned barrier would wait behind all of them and no checkpoint (so no result) would commit for
        // minutes. After 1 s of alignment the barrier overtakes the buffers and they go into the checkpoint.
        Configuration checkpointing = new Configuration();
        checkpointing.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        checkpointing.set(CheckpointingOptions.ALIGNED_CHECKPOINT_TIMEOUT, Duration.ofSeconds(1));
        String checkpointsDir = config.checkpoints().dir();
        if (checkpointsDir != null) {
            // files, not the JobManager's heap: that one refuses a checkpoint above 5 MiB and fails the job
            checkpointing.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            checkpointing.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointsDir);
        }
        env.configure(checkpointing);

        KafkaSource<Incoming> source = KafkaSource.<Incoming>builder()
                .setTopics(k.requestsTopic())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(Requests.deserializer(config.validation(), config.deadLetters().keepBytes()))
                .setProperties(sourceProperties(k))
                .build();
        // built on the TaskManagers; its settings are checked here, where a mistake still has a caller to tell
        ProgressPublisher.properties(k);
        DataStream<Incoming> incoming = env.fromSource(source, WatermarkStrategy.noWatermarks(), "requests")
                .uid("requests");

        SingleOutputStreamOperator<AcceptedRequest> valid = incoming.process(new Validator(config)).name("validate")
                .uid("validate");

        JobConfig.Generation g = config.generation();
        GenerateFunction generate = new GenerateFunction(config, config.batching().toSlotPolicy(), generators);
        SingleOutputStreamOperator<ResultRecord> generated = AsyncDataStream.unorderedWait(routed(valid, config),
                        generate, g.timeoutMs(), TimeUnit.MILLISECONDS, g.maxInFlightPerSlot())
                .name("generate").uid("generate").setParallelism(g.slots());
        if (g.gpus() > 0) {
            generated.slotSharingGroup(SlotSharingGroup.newBuilder(GPU_GROUP).setCpuCores(g.cpuCores())
                    .setTaskHeapMemoryMB(g.taskHeapMb()).setExternalResource("gpu", g.gpus()).build());
        } else {
            generated.slotSharingGroup(GPU_GROUP);
        }

        DataStream<ResultRecord> encoded = generated.map(new EncodeFunction(config)).name("encode").uid("encode")
                .slotSharingGroup("default");
        // every record is checked against the producer's limit before it is sent: one too large would throw in the
        // producer, fail the task, and fail it again on every replay — no request could stop the job that way
        encoded.union(valid.getSideOutput(Validator.IMMEDIATE_RESULTS))
                .sinkTo(exactlyOnce(config, resultsSerializer(config), "results"))
                .name("results").uid("results-sink");
        valid.getSideOutput(Validator.DEAD_LETTERS)
                .sinkTo(exactlyOnce(config, deadLettersSerializer(config), "dlq"))
                .name("dead-letters").uid("dead-letters-sink");
    }

    /**
     * Accepted requests spread over the generator slots: {@code rebalance} gives every slot a share of every
     * bucket (a hot size spreads over all slots, and a cold one is cut as many ways); {@code bucket-affine} sends
     * each bucket to a set of slots sized to its rate ({@link SlotPartitioner}), keyed by its size.
     */
    static DataStream<AcceptedRequest> routed(SingleOutputStreamOperator<AcceptedRequest> valid, JobConfig config) {
        RoutingPolicy.Kind kind = RoutingPolicy.Kind.parse(config.generation().routing());
        if (kind == RoutingPolicy.Kind.REBALANCE) {
            return valid.rebalance();
        }
        String profile = config.batching().profile();
        RoutingPolicy policy = new RoutingPolicy(kind, profile == null || profile.isBlank() ? null
                : BatchProfile.read(Path.of(profile)), config.batching().toSlotPolicy());
        int upstream = Math.max(1, valid.getParallelism() > 0 ? valid.getParallelism()
                : valid.getExecutionEnvironment().getParallelism());
        // Flink refuses unaligned checkpoints across a custom partitioner unless forced: after a rescale it cannot
        // re-partition the requests a checkpoint holds in flight the way the partitioner would have. Here any slot
        // may run any request (the seed fixes the video; routing only decides where), so the requests a restore
        // hands to other slots than planned are served all the same. The backlog needs unaligned checkpoints
        Configuration forced = new Configuration();
        forced.set(CheckpointingOptions.FORCE_UNALIGNED, true);
        valid.getExecutionEnvironment().configure(forced);
        return valid.partitionCustom(new SlotPartitioner(policy, upstream), r -> r.size().toString());
    }

    /** Results keyed by request id; one too large for the producer becomes a small FAILED result instead. */
    static WireFormatSerializer<ResultRecord, GenerationResult> resultsSerializer(JobConfig config) {
        return new WireFormatSerializer<>(config.kafka().resultsTopic(), GenerationResult.class,
                r -> r.request().requestId().getBytes(StandardCharsets.UTF_8), ResultAvro::of)
                .bounded(maxRecordBytes(config), ResultRecord::tooLarge);
    }

    /** Dead letters keyed by the record's (kept) key; one still too large loses its raw bytes, not its place. */
    static WireFormatSerializer<DeadLetterInfo, DeadLetter> deadLettersSerializer(JobConfig config) {
        return new WireFormatSerializer<>(config.kafka().deadLetterTopic(), DeadLetter.class,
                DeadLetterInfo::kafkaKey, Requests::toAvro)
                .bounded(maxRecordBytes(config), (d, bytes, limit) -> d.withoutRawBytes());
    }

    /** The largest record a sink hands its producer: the producer's own limit, {@code max.request.size}. */
    static long maxRecordBytes(JobConfig config) {
        return Long.parseLong(sinkProperties(config, "results").getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
    }

    /** The requests source's client: the user's properties and what the source relies on (never overridden). */
    static Properties sourceProperties(JobConfig.Kafka k) {
        return ClientProperties.forClient("requests source", k.clientProperties())
                .fromSetting(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers(), "kafka.bootstrap_servers")
                .fromSetting(ConsumerConfig.GROUP_ID_CONFIG, k.groupId(), "kafka.group_id")
                .setByBuilder(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                        "the job decodes the wire format itself, and dead-letters what it cannot")
                .setByBuilder(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                        "the job decodes the wire format itself, and dead-letters what it cannot")
                .setByBuilder(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        "a new consumer group starts at the oldest request, so none is skipped")
                // Flink's source builder leaves it to the consumer's default, read_uncommitted
                .require(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        "a request a transactional producer aborted was never sent, and must not be generated")
                .byDefault("partition.discovery.interval.ms", "10000")
                .toProperties();
    }

    /** A results or dead-letter sink's producer: the user's properties and what exactly-once relies on. */
    static Properties sinkProperties(JobConfig config, String what) {
        JobConfig.Kafka k = config.kafka();
        long largestRecord = Math.max(MIN_MAX_REQUEST_BYTES, config.results().inlineLimitBytes() + RESULT_METADATA_BYTES);
        return ClientProperties.forClient(what + " sink", k.clientProperties())
                .fromSetting(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers(), "kafka.bootstrap_servers")
                // within the broker's transaction.max.timeout.ms (15 min by default), far above a checkpoint + restart
                .fromSetting(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(k.transactionTimeoutMs()),
                        "kafka.transaction_timeout_ms")
                .reserved(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "the sink derives one per subtask from the "
                        + "job's identity, or from kafka.transactional_id_prefix")
                .require(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, "transactions need an idempotent producer")
                .setByBuilder(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                        "records are serialized to the wire format before the producer sees them")
                .setByBuilder(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                        "records are serialized to the wire format before the producer sees them")
                .atLeast(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, largestRecord,
                        "a result carries its video inline up to results.inline_limit_bytes")
                .toProperties();
    }

    private static <T> KafkaSink<T> exactlyOnce(JobConfig config,
                                                org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema<T> s,
                                                String what) {
        JobConfig.Kafka k = config.kafka();
        Properties p = sinkProperties(config, what);
        return KafkaSink.<T>builder()
                .setBootstrapServers(k.bootstrapServers())
                .setRecordSerializer(s)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(TransactionalIds.prefix(k) + "-" + what)
                .setKafkaProducerConfig(p)
                .build();
    }
}
