package io.cogflow.bench.chaos;

import io.cogflow.client.RequestProducer;
import io.cogflow.client.TopicReader;
import io.cogflow.localkafka.LocalKafkaBroker;
import io.cogflow.schemas.GenerationRequest;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code bench chaos} counts duplicates with: a reader that commits nothing used to start over from the
 * beginning after a broker restart (the group rebalances, the reset policy applies) — every record read twice,
 * reported as duplicates the job never wrote. It goes on where it was.
 */
class ReaderAcrossBrokerRestartTest {
    private static GenerationRequest request(String id) {
        return GenerationRequest.newBuilder().setRequestId(id).setPrompt("p").setWidth(64).setHeight(64)
                .setFrames(9).setSteps(1).build();
    }

    @Test
    void aReaderReadsEveryRecordOnceAcrossABrokerRestart() throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().port(0).property("broker.session.timeout.ms", "4000")
                .property("broker.heartbeat.interval.ms", "1000").start()) {
            broker.createTopics(List.of(new NewTopic("t", 1, (short) 1)));
            List<String> read = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicBoolean reading = new java.util.concurrent.atomic.AtomicBoolean(true);
            // the reader polls all along, through the broker's absence, as a consumer of results does
            Thread poller = new Thread(() -> {
                try (TopicReader<GenerationRequest> reader = new TopicReader<>(GenerationRequest.class,
                        broker.bootstrapServers(), "t", Map.of(), true)) {
                    while (reading.get()) {
                        try {
                            reader.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.getRequestId()));
                        } catch (RuntimeException e) {
                            // the broker is away: poll again
                        }
                    }
                }
            });
            poller.start();
            try (RequestProducer p = new RequestProducer(broker.bootstrapServers(), "t", Map.of())) {
                for (int i = 0; i < 5; i++) {
                    p.send(request("before-" + i)).get();
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read.size() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            broker.stop();
            Thread.sleep(3000);
            broker.start();
            try (RequestProducer p = new RequestProducer(broker.bootstrapServers(), "t", Map.of())) {
                for (int i = 0; i < 5; i++) {
                    p.send(request("after-" + i)).get();
                }
            }
            deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (read.size() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(3000);  // a re-read would show now
            reading.set(false);
            poller.join(10_000);
            assertThat(read).doesNotHaveDuplicates().hasSize(10);
        }
    }
}
