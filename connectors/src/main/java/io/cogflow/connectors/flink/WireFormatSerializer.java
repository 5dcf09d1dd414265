package io.cogflow.connectors.flink;

import io.cogflow.schemas.WireFormat;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;

/**
 * A Kafka sink serializer writing the job's records as wire-format Avro (single-object encoding) to one topic,
 * keyed as the job says (request ids for results).
 *
 * <p>With a {@linkplain #bounded limit}, no record it hands the producer is larger than the limit: a record above it
 * is replaced by what the job's {@link Shrink} makes of it (a small FAILED result, a dead letter without its raw
 * bytes), and one still too large is dropped with an error in the log and the {@code droppedRecords} counter.
 * The producer would otherwise throw {@code RecordTooLargeException}, fail the task, and fail it again on every
 * replay of the same record: a restart loop that stops the whole job for one record.
 *
 * @param <IN> what the job's stream carries
 * @param <T>  the wire record type
 */
public final class WireFormatSerializer<IN, T extends SpecificRecord> implements KafkaRecordSerializationSchema<IN> {
    private static final Logger LOG = LoggerFactory.getLogger(WireFormatSerializer.class);

    /**
     * What the producer adds to a record's key and value on the wire (batch header, record header, lengths,
     * timestamp; Kafka's estimate stays below 100 bytes without headers): kept free below the limit.
     */
    public static final int RECORD_OVERHEAD_BYTES = 1024;

    @FunctionalInterface
    public interface Converter<IN, T> extends Serializable {
        T convert(IN in);
    }

    /** The record key's bytes, or null for none. */
    @FunctionalInterface
    public interface KeyExtractor<IN> extends Serializable {
        byte[] key(IN in);
    }

    /** A smaller stand-in for a record whose key and value came to {@code bytes}, above {@code limit}. */
    @FunctionalInterface
    public interface Shrink<IN> extends Serializable {
        IN shrink(IN in, long bytes, long limit);
    }

    private final String topic;
    private final WireFormat<T> format;
    private final KeyExtractor<IN> key;
    private final Converter<IN, T> converter;
    /** The largest key plus value plus overhead handed to the producer; {@code Long.MAX_VALUE}: unbounded. */
    private final long limit;
    private final Shrink<IN> shrink;
    private transient Counter shrunk;
    private transient Counter dropped;

    public WireFormatSerializer(String topic, Class<T> type, KeyExtractor<IN> key, Converter<IN, T> converter) {
        this(topic, WireFormat.of(type), key, converter, Long.MAX_VALUE, null);
    }

    private WireFormatSerializer(String topic, WireFormat<T> format, KeyExtractor<IN> key, Converter<IN, T> converter,
                                 long limit, Shrink<IN> shrink) {
        this.topic = topic;
        this.format = format;
        this.key = key;
        this.converter = converter;
        this.limit = limit;
        this.shrink = shrink;
    }

    /**
     * This serializer, never handing the producer a record above {@code maxRecordBytes} (the producer's
     * {@code max.request.size}, which the topic's {@code max.message.bytes} must allow).
     */
    public WireFormatSerializer<IN, T> bounded(long maxRecordBytes, Shrink<IN> shrinkTo) {
        if (maxRecordBytes <= 2L * RECORD_OVERHEAD_BYTES) {
            throw new IllegalArgumentException("a record limit of " + maxRecordBytes + " bytes leaves no room for a "
                    + "record");
        }
        if (shrinkTo == null) {
            throw new IllegalArgumentException("a bounded serializer needs what to write instead of a large record");
        }
        return new WireFormatSerializer<>(topic, format, key, converter, maxRecordBytes, shrinkTo);
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        shrunk = context.getMetricGroup().counter("oversizeRecords");
        dropped = context.getMetricGroup().counter("droppedRecords");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(IN element, KafkaSinkContext context, Long timestamp) {
        ProducerRecord<byte[], byte[]> record = encode(element);
        long bytes = size(record);
        if (bytes <= limit) {
            return record;
        }
        inc(shrunk);
        IN smaller = shrink.shrink(element, bytes, limit);
        ProducerRecord<byte[], byte[]> replacement = encode(smaller);
        long replacementBytes = size(replacement);
        if (replacementBytes <= limit) {
            LOG.warn("a {}-byte record for {} is above the {}-byte limit: written as a {}-byte stand-in", bytes,
                    topic, limit, replacementBytes);
            return replacement;
        }
        // a stand-in the job bounds by construction cannot get here; if it does, one lost record beats a job that
        // restarts forever on it
        inc(dropped);
        LOG.error("a {}-byte record for {} is above the {}-byte limit, and so is its {}-byte stand-in: dropped",
                bytes, topic, limit, replacementBytes);
        return null;
    }

    private ProducerRecord<byte[], byte[]> encode(IN element) {
        return new ProducerRecord<>(topic, null, key.key(element), format.encode(converter.convert(element)));
    }

    private static long size(ProducerRecord<byte[], byte[]> r) {
        return (r.key() == null ? 0L : r.key().length) + (r.value() == null ? 0L : r.value().length)
                + RECORD_OVERHEAD_BYTES;
    }

    private static void inc(Counter c) {
        if (c != null) {
            c.inc();
        }
    }
}
