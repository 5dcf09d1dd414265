package io.cogflow.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * {@link LocalKafkaBroker#stop()}, {@link LocalKafkaBroker#kill()}, {@link LocalKafkaBroker#start()} against one real
 * broker child JVM ({@code port(0)}) that the tests stop and start in turn; the last test closes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class LocalKafkaBrokerRestartTest {
    private LocalKafkaBroker broker;
    private String bootstrap;

    @BeforeAll
    void startBroker() {
        broker = LocalKafkaBroker.builder().port(0)
            // after kill() the controller keeps the dead incarnation registered until its session expires (9 s by
            // default), and the restarted broker cannot register before that: shorter, to keep the test quick
            .property("broker.session.timeout.ms", "4000")
            .property("broker.heartbeat.interval.ms", "1000")
            .start();
        bootstrap = broker.bootstrapServers();
        System.out.printf("LocalKafkaBroker: %s reachable after %d ms%n", broker, broker.startupTime().toMillis());
    }

    @AfterAll
    void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void stopAndStartKeepTheAddressTheRecordsAndTheClientsGoing() throws Exception {
        String topic = "restart-stop";
        broker.createTopics(List.of(new NewTopic(topic, 1, (short) 1)));
        List<String> expected = new ArrayList<>();
        Path meta = broker.dataDir().resolve("data/meta.properties");
        String metaBefore = Files.readString(meta);

        try (KafkaProducer<String, String> tx = producer("restart-tx");
             KafkaProducer<String, String> idempotent = producer(null)) {
            tx.initTransactions();
            for (int t = 0; t < 5; t++) {
                tx.beginTransaction();
                for (int i = 0; i < 10; i++) {
                    String v = "tx-" + t + "-" + i;
                    tx.send(new ProducerRecord<>(topic, v));
                    expected.add(v);
                }
                tx.commitTransaction();
            }
            for (int i = 0; i < 10; i++) {
                String v = "idem-before-" + i;
                idempotent.send(new ProducerRecord<>(topic, v)).get(30, TimeUnit.SECONDS);
                expected.add(v);
            }

            ProcessHandle first = ProcessHandle.of(broker.pid()).orElseThrow();
            long t0 = System.nanoTime();
            broker.stop();
            System.out.printf("LocalKafkaBroker: stopped in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(first.isAlive()).isFalse();
            assertThat(broker.isRunning()).isFalse();
            assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(broker.dataDir().resolve("server.properties")).exists();
            assertThatThrownBy(broker::stop).isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped");
            assertThatThrownBy(broker::kill).isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped");
            assertThatThrownBy(broker::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped");
            assertThatThrownBy(() -> broker.createTopics(List.of(new NewTopic("x", 1, (short) 1))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped");

            broker.start();
            System.out.printf("LocalKafkaBroker: %s reachable again after %d ms%n", broker, broker.startupTime().toMillis());
            assertThat(broker.isRunning()).isTrue();
            assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(broker.pid()).isNotEqualTo(first.pid());
            assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already running");
            assertThat(Files.readString(meta)).as("storage not formatted again").isEqualTo(metaBefore);

            // the producers created before the stop go on at the same address. (Not sent while the broker is down:
            // a send then may wait max.block.ms for metadata, and one CI run spent its whole timeout there.)
            for (int i = 0; i < 10; i++) {
                String v = "idem-after-" + i;
                idempotent.send(new ProducerRecord<>(topic, v)).get(60, TimeUnit.SECONDS);
                expected.add(v);
            }
            // the transactional producer from before the stop goes on with new transactions
            tx.beginTransaction();
            for (int i = 0; i < 10; i++) {
                String v = "tx-after-" + i;
                tx.send(new ProducerRecord<>(topic, v));
                expected.add(v);
            }
            tx.commitTransaction();
        }
        try (KafkaProducer<String, String> fresh = producer(null)) {
            fresh.send(new ProducerRecord<>(topic, "fresh")).get(30, TimeUnit.SECONDS);
            expected.add("fresh");
        }
        assertThat(readAll(topic, "read_committed", expected.size())).containsExactlyElementsOf(expected);
    }

    @Test
    @Order(2)
    void killAndStartKeepCommittedTransactions() throws Exception {
        String topic = "restart-kill";
        broker.createTopics(List.of(new NewTopic(topic, 1, (short) 1)));
        List<String> committed = new ArrayList<>();
        KafkaProducer<String, String> tx = producer("kill-tx");
        try {
            tx.initTransactions();
            for (int t = 0; t < 2; t++) {
                tx.beginTransaction();
                for (int i = 0; i < 10; i++) {
                    String v = "committed-" + t + "-" + i;
                    tx.send(new ProducerRecord<>(topic, v));
                    committed.add(v);
                }
                tx.commitTransaction();
            }
            tx.beginTransaction(); // left open by the crash
            for (int i = 0; i < 5; i++) {
                tx.send(new ProducerRecord<>(topic, "open-" + i));
            }
            tx.flush();

            ProcessHandle first = ProcessHandle.of(broker.pid()).orElseThrow();
            broker.kill();
            assertThat(first.isAlive()).isFalse();
            assertThat(broker.isRunning()).isFalse();
            assertThatThrownBy(broker::kill).isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped");
        } finally {
            tx.close(Duration.ZERO);
        }

        broker.start();
        System.out.printf("LocalKafkaBroker: %s reachable after kill in %d ms%n", broker, broker.startupTime().toMillis());
        assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
        // as a restarted Flink sink does: the same transactional id fences the old producer and aborts its open transaction
        try (KafkaProducer<String, String> again = producer("kill-tx")) {
            again.initTransactions();
            again.beginTransaction();
            again.send(new ProducerRecord<>(topic, "after-kill"));
            again.commitTransaction();
            committed.add("after-kill");
        }
        assertThat(readAll(topic, "read_committed", committed.size())).containsExactlyElementsOf(committed);
        assertThat(readAll(topic, "read_uncommitted", committed.size() + 5)).contains("open-0", "open-4");
    }

    @Test
    @Order(3)
    void restartThenCloseWhileStopped() throws IOException {
        long oldPid = broker.pid();
        broker.restart();
        assertThat(broker.isRunning()).isTrue();
        assertThat(broker.pid()).isNotEqualTo(oldPid);
        assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
        assertThat(Files.readString(broker.log())).contains("cogflow: starting the broker again");

        broker.stop();
        Path dir = broker.dataDir();
        broker.close();
        broker.close(); // idempotent
        assertThat(dir).doesNotExist();
        assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(broker::stop).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(broker::kill).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(broker::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    /** An idempotent producer, transactional if {@code transactionalId} is set, that rides out a broker restart. */
    private KafkaProducer<String, String> producer(String transactionalId) {
        Map<String, Object> p = new HashMap<>(broker.clientProperties());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 90_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        }
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private List<String> readAll(String topic, String isolation, int expected) {
        return TopicContents.readAll(broker, topic, isolation, expected);
    }
}
