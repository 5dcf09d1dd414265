package io.cogflow.job;

import io.cogflow.schemas.DeadLetter;
import io.cogflow.schemas.WireFormat;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.ByteBuffer;

/** Dead letters to their topic, keeping the original key so they can be matched with their producer's records. */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetterInfo> {
    private final String topic;
    private final WireFormat<DeadLetter> format = WireFormat.of(DeadLetter.class);

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetterInfo d, KafkaSinkContext context, Long timestamp) {
        DeadLetter envelope = DeadLetter.newBuilder().setTopic(d.topic()).setPartition(d.partition())
                .setOffset(d.offset()).setTimestamp(d.timestamp())
                .setRawKey(d.key() == null ? null : ByteBuffer.wrap(d.key()))
                .setRawValue(d.value() == null ? null : ByteBuffer.wrap(d.value()))
                .setError(d.error()).setErrorClass(d.errorClass()).build();
        return new ProducerRecord<>(topic, null, d.key(), format.encode(envelope));
    }
}
