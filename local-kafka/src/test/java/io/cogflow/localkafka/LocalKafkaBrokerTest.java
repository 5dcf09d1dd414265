package io.cogflow.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One real broker child JVM for the whole class; the last test closes it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class LocalKafkaBrokerTest {
    private static final String TOPIC = "cogflow-test";
    private LocalKafkaBroker broker;

    @BeforeAll
    void start() {
        broker = LocalKafkaBroker.builder().start();
        System.out.printf("LocalKafkaBroker: %s reachable after %d ms%n", broker, broker.startupTime().toMillis());
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void writesTheExpectedConfigurationAndLog() throws IOException {
        assertThat(broker.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(broker.clientProperties()).containsEntry("bootstrap.servers", broker.bootstrapServers());
        assertThat(broker.isRunning()).isTrue();
        String props = Files.readString(broker.dataDir().resolve("server.properties"));
        assertThat(props).contains("process.roles=broker,controller", "transaction.max.timeout.ms=900000",
            "message.max.bytes=8388608", "auto.create.topics.enable=false", "transaction.state.log.min.isr=1");
        assertThat(Files.readString(broker.log())).contains(BrokerProcessMain.FORMATTED_MARKER);
        assertThat(Files.exists(broker.dataDir().resolve("data/meta.properties"))).isTrue();
    }

    @Test
    @Order(2)
    void transactionsCommitAndAbortAsExpected() {
        broker.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)));
        broker.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))); // idempotent

        Map<String, Object> p = new HashMap<>(broker.clientProperties());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "cogflow-it");
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "k1", "committed-1"));
            producer.send(new ProducerRecord<>(TOPIC, "k2", "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "k3", "aborted-1"));
            producer.send(new ProducerRecord<>(TOPIC, "k4", "aborted-2"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "k5", "committed-3"));
            producer.commitTransaction();
        }

        assertThat(readAll("read_committed", 3)).containsExactly("committed-1", "committed-2", "committed-3");
        // the aborted records were really written: an uncommitted reader sees them
        assertThat(readAll("read_uncommitted", 5))
            .containsExactly("committed-1", "committed-2", "aborted-1", "aborted-2", "committed-3");
    }

    @Test
    @Order(3)
    void acceptsRecordsAboveKafkasOneMebibyteDefault() {
        String topic = "cogflow-large";
        broker.createTopics(List.of(new NewTopic(topic, 1, (short) 1)));
        byte[] value = new byte[3 * 1024 * 1024];
        value[value.length - 1] = 42;
        Map<String, Object> p = new HashMap<>(broker.clientProperties());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, LocalKafkaBroker.DEFAULT_MAX_MESSAGE_BYTES);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, value)).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Map<String, Object> c = new HashMap<>(broker.clientProperties());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(r.value()).hasSize(value.length).endsWith((byte) 42);
                    return;
                }
            }
        }
        throw new AssertionError("the large record was not read back");
    }

    @Test
    @Order(4)
    void closeStopsTheChildFreesThePortAndDeletesTheTempDir() throws IOException {
        int port = Integer.parseInt(broker.bootstrapServers().substring(broker.bootstrapServers().lastIndexOf(':') + 1));
        ProcessHandle child = ProcessHandle.of(broker.pid()).orElseThrow();
        Path dir = broker.dataDir();
        long t0 = System.nanoTime();
        broker.close();
        System.out.printf("LocalKafkaBroker: closed in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        broker.close(); // idempotent

        assertThat(child.isAlive()).isFalse();
        assertThat(broker.isRunning()).isFalse();
        assertThat(dir).doesNotExist();
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(s.getLocalPort()).isEqualTo(port);
        }
        assertThatThrownBy(() -> broker.createTopics(List.of(new NewTopic("x", 1, (short) 1))))
            .isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Order(5)
    void aBrokerThatCannotStartReportsItsLog(@TempDir Path dir) {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> LocalKafkaBroker.builder().dataDir(dir).property("process.roles", "nonsense").start())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("exited with code")
            .hasMessageContaining("nonsense");
        System.out.printf("LocalKafkaBroker: failed start reported in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    private List<String> readAll(String isolation, int expected) {
        return TopicContents.readAll(broker, TOPIC, isolation, expected);
    }
}
