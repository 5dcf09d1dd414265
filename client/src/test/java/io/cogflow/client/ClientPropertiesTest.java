package io.cogflow.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class ClientPropertiesTest {
    private static final String BYTES = ByteArraySerializer.class.getName();

    @Test
    void userPropertiesPassThroughAndCogflowAddsWhatItNeeds() {
        Map<String, Object> p = ClientProperties.forClient("results sink",
                        Map.of("security.protocol", "SASL_SSL", "linger.ms", "5"))
                .fromSetting("bootstrap.servers", "k:9092", "kafka.bootstrap_servers")
                .require("enable.idempotence", true, "transactions")
                .atLeast("max.request.size", 8 << 20, "inline videos")
                .byDefault("linger.ms", 20)
                .byDefault("acks", "1")
                .toMap();
        assertThat(p).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", "k:9092")
                .containsEntry("enable.idempotence", true)
                .containsEntry("max.request.size", Long.toString(8 << 20))
                .containsEntry("linger.ms", "5") // the user's choice wins where cogflow only has a preference
                .containsEntry("acks", "1");
    }

    @Test
    void aConflictingValueIsRefusedNamingThePropertyTheClientAndTheReason() {
        assertThatThrownBy(() -> ClientProperties.forClient("results reader",
                Map.of("isolation.level", "read_uncommitted"))
                .require("isolation.level", "read_committed", "each result exactly once"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("isolation.level=read_uncommitted")
                .hasMessageContaining("results reader")
                .hasMessageContaining("read_committed")
                .hasMessageContaining("each result exactly once")
                .hasMessageContaining(ClientProperties.USER_SETTING);
        // the same value, in another spelling, is no conflict
        assertThat(ClientProperties.forClient("sink", Map.of("enable.idempotence", "TRUE"))
                .require("enable.idempotence", true, "transactions").toMap())
                .containsEntry("enable.idempotence", true);
    }

    @Test
    void aSizeBelowWhatCogflowNeedsIsRefusedALargerOneKept() {
        assertThatThrownBy(() -> ClientProperties.forClient("results sink", Map.of("max.request.size", "1048576"))
                .atLeast(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20, "inline videos"))
                .hasMessageContaining("max.request.size=1048576").hasMessageContaining("at least 8388608");
        assertThatThrownBy(() -> ClientProperties.forClient("results sink", Map.of("max.request.size", "${env:X}"))
                .atLeast(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20, "inline videos"))
                .hasMessageContaining("not a number");
        assertThat(ClientProperties.forClient("results sink", Map.of("max.request.size", "20000000"))
                .atLeast(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20, "inline videos").toMap())
                .containsEntry("max.request.size", "20000000");
    }

    @Test
    void settingsOfTheJobConfigAndReservedPropertiesAreNamed() {
        assertThatThrownBy(() -> ClientProperties.forClient("requests source", Map.of("bootstrap.servers", "other:1"))
                .fromSetting("bootstrap.servers", "k:9092", "kafka.bootstrap_servers"))
                .hasMessageContaining("set kafka.bootstrap_servers instead");
        assertThatThrownBy(() -> ClientProperties.forClient("results sink", Map.of("transactional.id", "x"))
                .reserved("transactional.id", "the sink derives one per subtask"))
                .hasMessageContaining("transactional.id=x cannot be set");
    }

    @Test
    void propertiesABuilderSetsAreCheckedButNotPassedOn() {
        Map<String, Object> p = ClientProperties.forClient("results sink", Map.of("key.serializer", BYTES))
                .setByBuilder("key.serializer", BYTES, "wire format").toMap();
        assertThat(p).doesNotContainKey("key.serializer");
        assertThatThrownBy(() -> ClientProperties.forClient("results sink",
                Map.of("key.serializer", "org.apache.kafka.common.serialization.StringSerializer"))
                .setByBuilder("key.serializer", BYTES, "wire format"))
                .hasMessageContaining("StringSerializer");
    }
}
