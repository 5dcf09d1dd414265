package io.cogflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** One evolution step of GenerationRequest (v1 → v2 added priority and client_metadata), both ways. */
class EvolutionTest {
    private static final Schema V1 = WireFormat.history(GenerationRequest.class).get(0);
    private static final Schema CURRENT = GenerationRequest.getClassSchema();

    @Test
    void v1IsTheCurrentSchemaWithoutTheTwoNewFields() {
        assertThat(WireFormat.history(GenerationRequest.class)).hasSize(1);
        assertThat(V1.getFullName()).isEqualTo(CURRENT.getFullName());
        assertThat(V1.getFields()).extracting(Schema.Field::name)
                .isEqualTo(CURRENT.getFields().stream().map(Schema.Field::name)
                        .filter(n -> !n.equals("priority") && !n.equals("client_metadata")).toList());
        assertThat(WireFormat.fingerprint(V1)).isNotEqualTo(WireFormat.fingerprint(CURRENT));
        assertThat(WireFormat.of(GenerationRequest.class).readableSchemas().keySet())
                .containsExactly(WireFormat.fingerprint(V1), WireFormat.fingerprint(CURRENT));
    }

    @Test
    void bytesWrittenWithV1DecodeWithTheCurrentReader() throws Exception {
        // an old producer: the v1 schema, generic records (its generated class is gone)
        GenericRecord old = new GenericRecordBuilder(V1)
                .set("request_id", "req-v1")
                .set("prompt", "a lighthouse in a storm")
                .set("negative_prompt", "")
                .set("width", 720)
                .set("height", 480)
                .set("frames", 49)
                .set("fps", 8)
                .set("steps", 50)
                .set("guidance", 6.0)
                .set("dynamic_cfg", true)
                .set("seed", 7L)
                .set("sampler", new GenericData.EnumSymbol(V1.getField("sampler").schema().getTypes().get(1), "DDIM"))
                .set("output_format", new GenericData.EnumSymbol(V1.getField("output_format").schema(), "PNG_SHEET"))
                .set("deadline", 1_760_000_600_000L)
                .build();
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), V1).encode(old).array();
        assertThat(bytes).startsWith(0xC3, 0x01);

        GenerationRequest decoded = WireFormat.of(GenerationRequest.class).decode(bytes);
        assertThat(decoded.getRequestId()).isEqualTo("req-v1");
        assertThat(decoded.getPrompt()).isEqualTo("a lighthouse in a storm");
        assertThat(decoded.getDynamicCfg()).isTrue();
        assertThat(decoded.getSeed()).isEqualTo(7L);
        assertThat(decoded.getSampler()).isEqualTo(Sampler.DDIM);
        assertThat(decoded.getOutputFormat()).isEqualTo(OutputFormat.PNG_SHEET);
        assertThat(decoded.getDeadline()).isEqualTo(Instant.ofEpochMilli(1_760_000_600_000L));
        // the fields v1 did not have take their defaults
        assertThat(decoded.getPriority()).isZero();
        assertThat(decoded.getClientMetadata()).isEqualTo(Map.of());
    }

    @Test
    void bytesWrittenWithTheCurrentSchemaDecodeWithAV1Reader() throws Exception {
        byte[] bytes = WireFormat.of(GenerationRequest.class).encode(Records.request());

        // an old consumer: reads with v1; it must know the newer writer schema to resolve it (single-object
        // messages carry only a fingerprint), i.e. its schema store is updated before producers move on
        BinaryMessageDecoder<GenericRecord> v1Reader = new BinaryMessageDecoder<>(GenericData.get(), V1);
        assertThatThrownBy(() -> v1Reader.decode(bytes)).isInstanceOf(MissingSchemaException.class);
        v1Reader.addSchema(CURRENT);

        GenericRecord decoded = v1Reader.decode(bytes);
        assertThat(decoded.getSchema()).isEqualTo(V1);
        assertThat(decoded.get("request_id")).hasToString("req-0001");
        assertThat(decoded.get("prompt")).hasToString(Records.request().getPrompt());
        assertThat(decoded.get("frames")).isEqualTo(49);
        assertThat(decoded.get("guidance")).isEqualTo(7.5);
        assertThat(decoded.get("sampler")).hasToString("DPM");
        assertThat(decoded.get("deadline")).isEqualTo(Records.request().getDeadline().toEpochMilli());
        // the fields v1 does not know are skipped
        assertThat(decoded.getSchema().getField("priority")).isNull();
        assertThat(decoded.getSchema().getField("client_metadata")).isNull();
    }

    @Test
    void everyHistoricalSchemaIsCompatibleWithTheCurrentOneBothWays() {
        for (Class<? extends SpecificRecord> type : List.of(GenerationRequest.class, GenerationResult.class,
                GenerationProgress.class, DeadLetter.class)) {
            Schema current = SpecificData.getForClass(type).getSchema(type);
            for (Schema old : WireFormat.history(type)) {
                assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType())
                        .as("%s: current reads old", type.getSimpleName())
                        .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
                assertThat(SchemaCompatibility.checkReaderWriterCompatibility(old, current).getType())
                        .as("%s: old reads current", type.getSimpleName())
                        .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
            }
        }
    }

    /**
     * The fingerprints of the current schemas, pinned. When this fails you changed a schema on the wire: copy the
     * previous .avsc to src/main/resources/io/cogflow/schemas/history/&lt;Name&gt;-v&lt;N+1&gt;.avsc (unless the old
     * version can no longer be in any topic), make sure every new field has a default, then update the value here.
     * Docs and defaults are not part of the fingerprint.
     */
    @Test
    void theWireSchemasArePinned() {
        assertThat(Map.of(
                "GenerationRequest", hex(GenerationRequest.getClassSchema()),
                "GenerationResult", hex(GenerationResult.getClassSchema()),
                "GenerationProgress", hex(GenerationProgress.getClassSchema()),
                "DeadLetter", hex(DeadLetter.getClassSchema()))).isEqualTo(Map.of(
                "GenerationRequest", "68a75b963029e3ae",
                "GenerationResult", "598b6fd08132c8a5",
                "GenerationProgress", "c28ac767b79b9a03",
                "DeadLetter", "3781829928a19fd3"));
        assertThat(hex(WireFormat.history(GenerationRequest.class).get(0))).isEqualTo("49411dc183069937");
    }

    private static String hex(Schema schema) {
        return String.format("%016x", WireFormat.fingerprint(schema));
    }
}
