package io.cogflow.job;

import io.cogflow.client.ClientProperties;
import io.cogflow.schemas.GenerationProgress;
import io.cogflow.schemas.Stage;
import io.cogflow.schemas.WireFormat;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Progress events (stage, step k of N) to their own topic, at least once: outside Flink's transactions on
 * purpose — a watcher wants them while a request runs, not when the next checkpoint commits, and a duplicate
 * step event after a restart is harmless.
 */
final class ProgressPublisher implements BatchRunner.Progress, AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final WireFormat<GenerationProgress> format = WireFormat.of(GenerationProgress.class);

    ProgressPublisher(JobConfig.Kafka kafka) {
        this.producer = new KafkaProducer<>(properties(kafka));
        this.topic = kafka.progressTopic();
    }

    /** The producer's settings: the user's client properties, ours only where the user has not chosen. */
    static Map<String, Object> properties(JobConfig.Kafka kafka) {
        String bytes = ByteArraySerializer.class.getName();
        return ClientProperties.forClient("progress producer", kafka.clientProperties())
                .fromSetting(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), "kafka.bootstrap_servers")
                .require(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, bytes, "events are serialized to the wire format")
                .require(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, bytes, "events are serialized to the wire format")
                // a progress event is worth one leader's acknowledgement, not a round of replication
                .byDefault(ProducerConfig.ACKS_CONFIG, "1")
                .byDefault(ProducerConfig.LINGER_MS_CONFIG, 20)
                .byDefault(ProducerConfig.CLIENT_ID_CONFIG, "cogflow-progress")
                .toMap();
    }

    @Override
    public void denoising(List<String> requestIds, String batchId, int step, int steps) {
        publish(requestIds, batchId, Stage.DENOISING, step, steps);
    }

    private void publish(List<String> requestIds, String batchId, Stage stage, int step, int steps) {
        long now = System.currentTimeMillis();
        for (String id : requestIds) {
            GenerationProgress e = GenerationProgress.newBuilder().setRequestId(id).setStage(stage).setStep(step)
                    .setSteps(steps).setTime(java.time.Instant.ofEpochMilli(now)).setBatchId(batchId).build();
            // fire and forget: a lost progress event costs a watcher one redraw, never a result
            producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), format.encode(e)));
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
