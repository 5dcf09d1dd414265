package io.cogflow.job;

import io.cogflow.schemas.GenerationProgress;
import io.cogflow.schemas.Stage;
import io.cogflow.schemas.WireFormat;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Progress events (stage, step k of N) to their own topic, at least once: outside Flink's transactions on
 * purpose — a watcher wants them while a request runs, not when the next checkpoint commits, and a duplicate
 * step event after a restart is harmless.
 */
final class ProgressPublisher implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final WireFormat<GenerationProgress> format = WireFormat.of(GenerationProgress.class);

    ProgressPublisher(JobConfig.Kafka kafka) {
        Map<String, Object> p = new HashMap<>(kafka.securityProperties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "cogflow-progress");
        this.producer = new KafkaProducer<>(p);
        this.topic = kafka.progressTopic();
    }

    void publish(List<String> requestIds, String batchId, Stage stage, int step, int steps) {
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
