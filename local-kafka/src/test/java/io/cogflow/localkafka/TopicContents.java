package io.cogflow.localkafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What partition 0 of a topic holds, read from the beginning with an isolation level, for the broker tests. */
final class TopicContents {
    private TopicContents() {
    }

    /** Every value up to the end offset; fails unless there are {@code expected} of them. */
    static List<String> readAll(LocalKafkaBroker broker, String topic, String isolation, int expected) {
        Map<String, Object> c = new HashMap<>(broker.clientProperties());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
            // one more poll: nothing may follow
            consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
        }
        assertThat(values).as(isolation).hasSize(expected);
        return values;
    }
}
