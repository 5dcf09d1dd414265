package io.cogflow.connectors.flink;

import io.cogflow.schemas.DeadLetter;
import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.WireFormat;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetteringDeserializerTest {

    private static DeadLetteringDeserializer<GenerationRequest, String> deserializer() {
        return DeadLetteringDeserializer.<GenerationRequest, String>builder(GenerationRequest.class)
                .onRecord((r, src) -> {
                    if (r.getPrompt().isBlank()) {
                        throw new IllegalArgumentException("blank prompt");
                    }
                    return "ok:" + r.getRequestId();
                })
                .onDeadLetter(d -> "dead:" + d.getTopic() + "/" + d.getPartition() + "/" + d.getOffset() + ":"
                        + d.getError())
                .producedType(Types.STRING)
                .build();
    }

    private static List<String> run(DeadLetteringDeserializer<GenerationRequest, String> d, byte[] value) {
        List<String> out = new ArrayList<>();
        d.deserialize(new ConsumerRecord<>("requests", 1, 42L, "k".getBytes(StandardCharsets.UTF_8), value),
                new Collector<>() {
                    @Override
                    public void collect(String record) {
                        out.add(record);
                    }

                    @Override
                    public void close() {
                    }
                });
        return out;
    }

    private static GenerationRequest request(String prompt) {
        return GenerationRequest.newBuilder().setRequestId("r1").setPrompt(prompt).setWidth(64).setHeight(64)
                .setFrames(9).build();
    }

    @Test
    void recordsAreMappedAndEverythingElseBecomesOneDeadLetterWithWhereAndWhy() throws Exception {
        DeadLetteringDeserializer<GenerationRequest, String> d = roundTrip(deserializer());
        WireFormat<GenerationRequest> wire = WireFormat.of(GenerationRequest.class);
        assertThat(run(d, wire.encode(request("a cat")))).containsExactly("ok:r1");
        assertThat(run(d, "garbage".getBytes(StandardCharsets.UTF_8))).singleElement().asString()
                .startsWith("dead:requests/1/42:").contains("single-object");
        assertThat(run(d, null)).singleElement().asString().startsWith("dead:requests/1/42:");
        assertThat(run(d, wire.encode(request(" ")))).containsExactly("dead:requests/1/42:blank prompt");
    }

    @Test
    void deadLettersKeepTheRawBytes() {
        ConsumerRecord<byte[], byte[]> rec = new ConsumerRecord<>("t", 0, 7L, new byte[]{1}, new byte[]{2, 3});
        DeadLetter letter = DeadLetteringDeserializer.deadLetter(rec, "why", new IllegalStateException());
        assertThat(letter.getRawKey().array()).containsExactly(1);
        assertThat(letter.getRawValue().array()).containsExactly(2, 3);
        assertThat(letter.getErrorClass()).isEqualTo(IllegalStateException.class.getName());
    }

    @Test
    void theSerializerWritesTheWireFormatUnderTheKey() throws Exception {
        WireFormatSerializer<String, GenerationRequest> s = roundTrip(new WireFormatSerializer<>("requests",
                GenerationRequest.class, id -> id.getBytes(StandardCharsets.UTF_8), id -> request("p " + id)));
        ProducerRecord<byte[], byte[]> r = s.serialize("r1", null, null);
        assertThat(r.topic()).isEqualTo("requests");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("r1");
        assertThat(WireFormat.of(GenerationRequest.class).decode(r.value()).getPrompt()).isEqualTo("p r1");
    }

    /** Flink ships both to the task managers by Java serialization. */
    @SuppressWarnings("unchecked")
    private static <X> X roundTrip(X x) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(x);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (X) in.readObject();
        }
    }
}
