package io.cogflow.connectors.flink;

import io.cogflow.schemas.DeadLetter;
import io.cogflow.schemas.WireFormat;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireFormatSerializerTest {
    private static final int LIMIT = 64 * 1024;

    private static DeadLetter letter(int rawBytes) {
        return DeadLetter.newBuilder().setTopic("t").setPartition(0).setOffset(rawBytes).setTimestamp(0)
                .setRawValue(ByteBuffer.wrap(new byte[rawBytes])).setError("e").build();
    }

    private static WireFormatSerializer<DeadLetter, DeadLetter> serializer(WireFormatSerializer.Shrink<DeadLetter> s) {
        return new WireFormatSerializer<DeadLetter, DeadLetter>("dlq", DeadLetter.class, d -> null, d -> d)
                .bounded(LIMIT, s);
    }

    @Test
    void aRecordWithinTheLimitIsWrittenAsItIs() throws Exception {
        ProducerRecord<byte[], byte[]> r = serializer((d, bytes, limit) -> letter(0)).serialize(letter(1000), null,
                null);
        assertThat(WireFormat.of(DeadLetter.class).decode(r.value()).getOffset()).isEqualTo(1000);
    }

    @Test
    void aRecordAboveTheLimitIsReplacedByItsStandIn() throws Exception {
        long[] seen = new long[2];
        ProducerRecord<byte[], byte[]> r = serializer((d, bytes, limit) -> {
            seen[0] = bytes;
            seen[1] = limit;
            return letter(0);
        }).serialize(letter(LIMIT), null, null);
        assertThat(WireFormat.of(DeadLetter.class).decode(r.value()).getOffset()).isZero();
        assertThat(seen[0]).isGreaterThan(LIMIT + WireFormatSerializer.RECORD_OVERHEAD_BYTES);
        assertThat(seen[1]).isEqualTo(LIMIT);
    }

    @Test
    void aStandInStillAboveTheLimitIsDroppedNotThrown() {
        // KafkaWriter skips a null record: one lost record, logged and counted, instead of a restart loop
        assertThat(serializer((d, bytes, limit) -> d).serialize(letter(LIMIT), null, null)).isNull();
    }

    @Test
    void aLimitWithoutRoomForARecordIsRefused() {
        assertThatThrownBy(() -> new WireFormatSerializer<DeadLetter, DeadLetter>("dlq", DeadLetter.class, d -> null,
                d -> d).bounded(100, (d, b, l) -> d)).hasMessageContaining("leaves no room");
    }
}
