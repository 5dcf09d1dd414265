package io.cogflow.connectors.flink;

import io.cogflow.schemas.DeadLetter;
import io.cogflow.schemas.WireFormat;
import io.cogflow.schemas.WireFormatException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A Kafka source deserializer that never throws: each record is decoded from the wire format and mapped to the
 * job's type, and anything that fails — bytes that are not a known version of the schema, a mapping that rejects
 * the record — becomes a {@link DeadLetter} (raw key and value, topic, partition, offset, the reason) mapped to
 * the job's type as well. One bad record can then never restart-loop the job, and none is dropped silently.
 *
 * @param <T> the wire record type
 * @param <R> what the job's stream carries
 */
public final class DeadLetteringDeserializer<T extends SpecificRecord, R> implements KafkaRecordDeserializationSchema<R> {

    /** The job's view of a decoded record; may throw to turn the record into a dead letter. */
    @FunctionalInterface
    public interface RecordMapper<T, R> extends Serializable {
        R map(T record, ConsumerRecord<byte[], byte[]> source) throws Exception;
    }

    /** The job's view of a dead letter. */
    @FunctionalInterface
    public interface DeadLetterMapper<R> extends Serializable {
        R map(DeadLetter letter);
    }

    private final WireFormat<T> format;
    private final RecordMapper<T, R> onRecord;
    private final DeadLetterMapper<R> onDeadLetter;
    private final TypeInformation<R> producedType;

    private DeadLetteringDeserializer(Builder<T, R> b) {
        this.format = WireFormat.of(b.type);
        this.onRecord = Objects.requireNonNull(b.onRecord, "onRecord");
        this.onDeadLetter = Objects.requireNonNull(b.onDeadLetter, "onDeadLetter");
        this.producedType = Objects.requireNonNull(b.producedType, "producedType");
    }

    public static <T extends SpecificRecord, R> Builder<T, R> builder(Class<T> type) {
        return new Builder<>(type);
    }

    public static final class Builder<T extends SpecificRecord, R> {
        private final Class<T> type;
        private RecordMapper<T, R> onRecord;
        private DeadLetterMapper<R> onDeadLetter;
        private TypeInformation<R> producedType;

        private Builder(Class<T> type) {
            this.type = type;
        }

        public Builder<T, R> onRecord(RecordMapper<T, R> mapper) {
            this.onRecord = mapper;
            return this;
        }

        public Builder<T, R> onDeadLetter(DeadLetterMapper<R> mapper) {
            this.onDeadLetter = mapper;
            return this;
        }

        public Builder<T, R> producedType(TypeInformation<R> type) {
            this.producedType = type;
            return this;
        }

        public DeadLetteringDeserializer<T, R> build() {
            return new DeadLetteringDeserializer<>(this);
        }
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<R> out) {
        R mapped;
        try {
            mapped = onRecord.map(format.decode(record.value()), record);
        } catch (WireFormatException e) {
            mapped = onDeadLetter.map(deadLetter(record, e.getMessage(), e));
        } catch (Exception e) {
            mapped = onDeadLetter.map(deadLetter(record, e.getMessage() == null ? e.toString() : e.getMessage(), e));
        }
        out.collect(mapped);
    }

    static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record, String reason, Exception cause) {
        return DeadLetter.newBuilder().setTopic(record.topic()).setPartition(record.partition())
                .setOffset(record.offset()).setTimestamp(record.timestamp())
                .setRawKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setRawValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setError(reason).setErrorClass(cause.getClass().getName()).build();
    }

    @Override
    public TypeInformation<R> getProducedType() {
        return producedType;
    }
}
