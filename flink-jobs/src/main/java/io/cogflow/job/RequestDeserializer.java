package io.cogflow.job;

import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.WireFormat;
import io.cogflow.schemas.WireFormatException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes request records and never throws: a record that is not a {@code GenerationRequest} in the wire format
 * (garbage, another schema, a truncated body) becomes a dead letter with the reason, so one bad record cannot
 * restart-loop the job.
 */
public final class RequestDeserializer implements KafkaRecordDeserializationSchema<Incoming> {
    private final WireFormat<GenerationRequest> format = WireFormat.of(GenerationRequest.class);

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Incoming> out) {
        try {
            GenerationRequest r = format.decode(record.value());
            out.collect(Incoming.of(toJob(r, record.timestamp())));
        } catch (WireFormatException | RuntimeException e) {
            out.collect(Incoming.dead(new DeadLetterInfo(record.topic(), record.partition(), record.offset(),
                    record.timestamp(), record.key(), record.value(),
                    e.getMessage() == null ? e.toString() : e.getMessage(), e.getClass().getName())));
        }
    }

    static Job toJob(GenerationRequest r, long receivedAt) {
        String id = str(r.getRequestId());
        if (id.isBlank()) {
            throw new IllegalArgumentException("request_id is empty");
        }
        return new Job(id, str(r.getPrompt()), str(r.getNegativePrompt()), r.getWidth(), r.getHeight(),
                r.getFrames(), r.getFps(), r.getSteps(), r.getGuidance(), r.getDynamicCfg(),
                r.getSeed() == null ? StableSeed.of(id) : r.getSeed(),
                r.getSampler() == null ? null : r.getSampler().name(), r.getOutputFormat().name(), r.getPriority(),
                r.getDeadline() == null ? 0 : r.getDeadline().toEpochMilli(), receivedAt);
    }

    private static String str(CharSequence s) {
        return s == null ? "" : s.toString();
    }

    @Override
    public TypeInformation<Incoming> getProducedType() {
        return TypeInformation.of(Incoming.class);
    }
}
