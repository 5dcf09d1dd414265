package io.cogflow.client;

import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.WireFormat;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Future;

/** Sends generation requests to the requests topic in the wire format, keyed by request id, idempotently. */
public final class RequestProducer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final WireFormat<GenerationRequest> format = WireFormat.of(GenerationRequest.class);

    public RequestProducer(String bootstrapServers, String topic, Map<String, String> clientProperties) {
        String bytes = ByteArraySerializer.class.getName();
        Map<String, Object> p = ClientProperties.forClient("request producer", clientProperties)
                .fromSetting(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, "kafka.bootstrap_servers")
                .require(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, bytes, "requests are sent in the wire format")
                .require(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, bytes, "requests are sent in the wire format")
                .require(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, "a retried send must not submit a request twice")
                .require(ProducerConfig.ACKS_CONFIG, "all", "a submitted request must survive a broker failure")
                .toMap();
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
    }

    /**
     * Sends asynchronously. The future fails when the broker did not acknowledge the request within
     * {@code delivery.timeout.ms} (or its metadata within {@code max.block.ms}): a caller that reports the request
     * as submitted must wait for it, or it reports requests that never reached the topic.
     */
    public Future<RecordMetadata> send(GenerationRequest request) {
        return sendRaw(request.getRequestId().toString().getBytes(StandardCharsets.UTF_8), format.encode(request));
    }

    /** Any bytes, e.g. to exercise dead-lettering. */
    public Future<RecordMetadata> sendRaw(byte[] key, byte[] value) {
        return producer.send(new ProducerRecord<>(topic, key, value));
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
