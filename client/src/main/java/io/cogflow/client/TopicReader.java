package io.cogflow.client;

import io.cogflow.client.ClientProperties;
import io.cogflow.schemas.WireFormat;
import io.cogflow.schemas.WireFormatException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads one topic of wire-format records with {@code isolation.level=read_committed}, so only results of committed
 * Flink checkpoints are seen — each request's result exactly once, even across job restarts.
 */
public final class TopicReader<T extends SpecificRecord> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final WireFormat<T> format;

    /** @param fromBeginning read the whole topic (true) or only results produced from now on */
    /** The next offset to read per partition: where a rebalance must not move this reader from. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();

    public TopicReader(Class<T> type, String bootstrapServers, String topic, Map<String, String> clientProperties,
                       boolean fromBeginning) {
        this.format = WireFormat.of(type);
        String bytes = ByteArrayDeserializer.class.getName();
        Map<String, Object> p = ClientProperties.forClient(topic + " reader", clientProperties)
                .fromSetting(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, "kafka.bootstrap_servers")
                .reserved(ConsumerConfig.GROUP_ID_CONFIG, "each reader is a consumer group of its own")
                .require(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, bytes, "records are decoded from the wire format")
                .require(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, bytes, "records are decoded from the wire format")
                .require(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        "only results of committed checkpoints: each result exactly once")
                .require(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest",
                        fromBeginning ? "the whole topic was asked for" : "only what arrives from now on was asked for")
                .require(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, "a reader never moves a group's offsets")
                .atLeast(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024,
                        "one result with an inline video must fit a fetch")
                .toMap();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "cogflow-watch-" + UUID.randomUUID());
        this.consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                // the group commits nothing, so after a rebalance (a broker restart moves the coordinator) the
                // reset policy would start over from the beginning: go on where this reader was instead
                for (TopicPartition tp : partitions) {
                    Long next = positions.get(tp);
                    if (next != null) {
                        consumer.seek(tp, next);
                    }
                }
            }
        });
    }

    /**
     * Polls until the reader holds its partitions, so that a reader of "from now on" has fixed where now is before
     * the caller produces what it wants to read back; returns what arrived meanwhile.
     *
     * @throws IllegalStateException when no partition was assigned within {@code timeout}
     */
    public List<T> pollUntilAssigned(Duration timeout) {
        List<T> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.assignment().isEmpty()) {
            if (System.nanoTime() >= deadline) {
                throw new IllegalStateException("no partition of " + consumer.subscription() + " was assigned within "
                        + timeout.toSeconds() + " s: does the topic exist?");
            }
            out.addAll(poll(Duration.ofMillis(100)));
        }
        // resolves the starting offsets now (a "latest" reset is otherwise looked up lazily, after later records)
        consumer.assignment().forEach(tp -> consumer.position(tp, timeout));
        return out;
    }

    /** Records that arrived within {@code timeout}; undecodable ones are reported and skipped. */
    public List<T> poll(Duration timeout) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            positions.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
            try {
                out.add(format.decode(r.value()));
            } catch (WireFormatException e) {
                LOG.warn("skipping an undecodable record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                        e.getMessage());
            }
        }
        return out;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
