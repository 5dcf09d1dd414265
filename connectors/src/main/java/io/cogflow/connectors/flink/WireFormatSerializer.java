package io.cogflow.connectors.flink;

import io.cogflow.schemas.WireFormat;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.Serializable;

/**
 * A Kafka sink serializer writing the job's records as wire-format Avro (single-object encoding) to one topic,
 * keyed as the job says (request ids for results).
 *
 * @param <IN> what the job's stream carries
 * @param <T>  the wire record type
 */
public final class WireFormatSerializer<IN, T extends SpecificRecord> implements KafkaRecordSerializationSchema<IN> {

    @FunctionalInterface
    public interface Converter<IN, T> extends Serializable {
        T convert(IN in);
    }

    /** The record key's bytes, or null for none. */
    @FunctionalInterface
    public interface KeyExtractor<IN> extends Serializable {
        byte[] key(IN in);
    }

    private final String topic;
    private final WireFormat<T> format;
    private final KeyExtractor<IN> key;
    private final Converter<IN, T> converter;

    public WireFormatSerializer(String topic, Class<T> type, KeyExtractor<IN> key, Converter<IN, T> converter) {
        this.topic = topic;
        this.format = WireFormat.of(type);
        this.key = key;
        this.converter = converter;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(IN element, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, key.key(element), format.encode(converter.convert(element)));
    }
}
