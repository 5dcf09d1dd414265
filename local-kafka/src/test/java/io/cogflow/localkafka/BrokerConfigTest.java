package io.cogflow.localkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {
    @Test
    void childClasspathIsKafkaOnlyPlusTheLauncher() {
        List<String> names = Arrays.stream(LocalKafkaBroker.childClasspath().split(File.pathSeparator))
            .map(e -> Path.of(e).getFileName().toString()).toList();
        assertThat(names).anyMatch(n -> n.startsWith("kafka_2.13-4.2.0"))
            .anyMatch(n -> n.startsWith("kafka-clients-4.2.0"))
            .anyMatch(n -> n.startsWith("log4j-slf4j-impl-"))
            .anyMatch(n -> n.startsWith("jackson-databind-2.19"))
            .noneMatch(n -> n.startsWith("junit") || n.startsWith("assertj") || n.startsWith("jackson-databind-2.18"));
    }

    @Test
    void propertiesOverrideTheDefaults() {
        Map<String, String> p = LocalKafkaBroker.serverProperties(Path.of("/d"), 9092, 9093,
            Map.of("message.max.bytes", "1048576", "log.retention.ms", "60000"));
        assertThat(p).containsEntry("message.max.bytes", "1048576")
            .containsEntry("log.retention.ms", "60000")
            .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
            .containsEntry("controller.quorum.voters", "1@127.0.0.1:9093")
            .containsEntry("offsets.topic.replication.factor", "1")
            .containsEntry("share.coordinator.state.topic.min.isr", "1");
    }
}
