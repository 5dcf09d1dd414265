package io.cogflow.client;

import io.cogflow.schemas.WireFormat;
import io.cogflow.schemas.WireFormatException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads one topic of wire-format records with {@code isolation.level=read_committed}, so only results of committed
 * Flink checkpoints are seen — each request's result exactly once, even across job restarts.
 */
public final class TopicReader<T extends SpecificRecord> implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final WireFormat<T> format;

    /** @param fromBeginning read the whole topic (true) or only results produced from now on */
    public TopicReader(Class<T> type, String bootstrapServers, String topic, Map<String, String> clientProperties,
                       boolean fromBeginning) {
        this.format = WireFormat.of(type);
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "cogflow-watch-" + UUID.randomUUID());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        this.consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(topic));
    }

    /** Records that arrived within {@code timeout}; undecodable ones are reported and skipped. */
    public List<T> poll(Duration timeout) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            try {
                out.add(format.decode(r.value()));
            } catch (WireFormatException e) {
                System.err.println("cogflow: skipping an undecodable record at offset " + r.offset() + ": "
                        + e.getMessage());
            }
        }
        return out;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
