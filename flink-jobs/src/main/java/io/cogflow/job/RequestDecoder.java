package io.cogflow.job;

import io.cogflow.connectors.flink.DeadLetteringDeserializer;
import io.cogflow.schemas.GenerationRequest;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The requests topic's deserializer: a record larger than {@code validation.max_record_bytes} is dead-lettered
 * without being decoded — decoding is what would bloat the job — and every other record goes through the
 * dead-lettering wire-format decoder. {@link #decode} is the whole of it as a plain method, so tests (the mutation
 * fuzz test) run exactly what the job runs, without a Kafka source.
 */
final class RequestDecoder implements KafkaRecordDeserializationSchema<Incoming> {
    /** The error class of an oversized record's dead letter: a name to group by, as the decoder's exceptions are. */
    static final String TOO_LARGE = "io.cogflow.job.RecordTooLarge";

    private final DeadLetteringDeserializer<GenerationRequest, Incoming> wire;
    private final int maxRecordBytes;
    private final int deadLetterKeepBytes;

    RequestDecoder(DeadLetteringDeserializer<GenerationRequest, Incoming> wire, int maxRecordBytes,
                   int deadLetterKeepBytes) {
        this.wire = wire;
        this.maxRecordBytes = maxRecordBytes;
        this.deadLetterKeepBytes = deadLetterKeepBytes;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Incoming> out) {
        out.collect(decode(record));
    }

    /** The request in the record, or a dead letter saying why not; never throws. */
    Incoming decode(ConsumerRecord<byte[], byte[]> record) {
        byte[] value = record.value();
        if (value != null && value.length > maxRecordBytes) {
            return Incoming.dead(new DeadLetterInfo(record.topic(), record.partition(), record.offset(),
                    record.timestamp(), DeadLetterInfo.Raw.of(record.key(), deadLetterKeepBytes),
                    DeadLetterInfo.Raw.of(value, deadLetterKeepBytes), "record of " + value.length + " bytes is larger than "
                    + "validation.max_record_bytes (" + maxRecordBytes + "); not decoded", TOO_LARGE));
        }
        Incoming[] one = new Incoming[1];
        wire.deserialize(record, new Collector<>() {
            @Override
            public void collect(Incoming in) {
                one[0] = in;
            }

            @Override
            public void close() {
            }
        });
        return one[0];
    }

    @Override
    public TypeInformation<Incoming> getProducedType() {
        return wire.getProducedType();
    }
}
