package io.cogflow.job;

import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.WireFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The requests topic's decode: the size guard before decoding, and the record facts the limits check. */
class RequestDecoderTest {
    static final WireFormat<GenerationRequest> WIRE = WireFormat.of(GenerationRequest.class);

    static GenerationRequest.Builder request(String id) {
        return GenerationRequest.newBuilder().setRequestId(id).setPrompt("a red circle").setWidth(64).setHeight(64)
                .setFrames(9).setSteps(25);
    }

    static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
        return new ConsumerRecord<>("cogflow.requests", 0, 7, key, value);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRecordOverTheLimitIsDeadLetteredWithoutDecoding() {
        byte[] value = WIRE.encode(request("big").setPrompt("a".repeat(70_000)).build());
        Incoming in = Requests.deserializer().decode(record(utf8("big"), value));
        assertThat(in.request()).isNull();
        assertThat(in.deadLetter().error()).contains(value.length + " bytes", "validation.max_record_bytes (65536)");
        assertThat(in.deadLetter().errorClass()).isEqualTo(RequestDecoder.TOO_LARGE);
        assertThat(in.deadLetter().offset()).isEqualTo(7);
        // a configured limit is the one that applies
        Incoming small = Requests.deserializer(JobConfig.parse("validation: {max_record_bytes: 100}").validation(),
                        JobConfig.DeadLetters.DEFAULT_KEEP_BYTES)
                .decode(record(null, WIRE.encode(request("r").setPrompt("a".repeat(100)).build())));
        assertThat(small.deadLetter().error()).contains("(100)");
        assertThat(Requests.deserializer().decode(record(null, WIRE.encode(request("r").build()))).request())
                .isNotNull();
    }

    /**
     * A result carries its id twice (key and value), so an id too long to key a result by is answered by a dead
     * letter, which is bounded: with the record limit raised, a 4.5 MB id used to make a 9 MB result and crash-loop
     * the sink. An id just past its limit is still answered, with BAD_REQUEST_ID (RequestLimits).
     */
    @Test
    void anIdTooLongToAnswerByIsDeadLettered() {
        JobConfig.Validation large = JobConfig.parse("""
                validation: {max_record_bytes: 8388608}
                generation: {max_in_flight_bytes: 300000000}
                """).validation();
        String huge = "i".repeat(4_500_000);
        Incoming in = Requests.deserializer(large, JobConfig.DeadLetters.DEFAULT_KEEP_BYTES)
                .decode(record(null, WIRE.encode(request(huge).build())));
        assertThat(in.request()).isNull();
        assertThat(in.deadLetter().error()).contains("request_id has 4500000 bytes",
                "validation.max_request_id_bytes (256)");
        assertThat(in.deadLetter().value().kept()).hasSize(JobConfig.DeadLetters.DEFAULT_KEEP_BYTES);
        // up to 64 KiB it is a request (RequestLimits rejects it past max_request_id_bytes); one byte more is not
        int answerable = Requests.MAX_ANSWERABLE_ID_BYTES;
        assertThat(Requests.deserializer(large, 1024).decode(record(null, WIRE.encode(request("x".repeat(answerable))
                .build()))).request()).isNotNull();
        assertThat(Requests.deserializer(large, 1024).decode(record(null, WIRE.encode(request(
                "x".repeat(answerable + 1)).build()))).deadLetter()).isNotNull();
    }

    @Test
    void theKeyIsComparedWithTheRequestId() {
        byte[] value = WIRE.encode(request("r-1").build());
        assertThat(Requests.deserializer().decode(record(utf8("r-1"), value)).facts().keyMatchesId()).isTrue();
        assertThat(Requests.deserializer().decode(record(null, value)).facts().keyMatchesId()).isTrue();
        assertThat(Requests.deserializer().decode(record(new byte[0], value)).facts().keyMatchesId()).isTrue();
        RecordFacts other = Requests.deserializer().decode(record(utf8("r-2"), value)).facts();
        assertThat(other.keyMatchesId()).isFalse();
        assertThat(new RequestLimits(JobConfig.Validation.defaults())
                .check(Requests.deserializer().decode(record(utf8("r-2"), value)).request(), other).code())
                .isEqualTo("KEY_MISMATCH");
    }

    @Test
    void anIdThatWasNotUtf8OnTheWireDecodesToUfffdAndIsRejected() {
        // the request id's bytes in the body are "r-1"; make the first one a lone continuation byte (0x80)
        byte[] value = WIRE.encode(request("r-1").build());
        int at = indexOf(value, utf8("r-1"));
        value[at] = (byte) 0x80;
        Incoming in = Requests.deserializer().decode(record(null, value));
        assertThat(in.request().requestId()).contains("\uFFFD");
        assertThat(new RequestLimits(JobConfig.Validation.defaults()).check(in.request(), in.facts()).code())
                .isEqualTo("BAD_REQUEST_ID");
        // with the same bytes as its key, the id is still the reason given, not the key that cannot match it
        Incoming keyed = Requests.deserializer().decode(record(new byte[]{(byte) 0x80, '-', '1'}, value));
        assertThat(keyed.facts().keyMatchesId()).isFalse();
        assertThat(new RequestLimits(JobConfig.Validation.defaults()).check(keyed.request(), keyed.facts()).code())
                .isEqualTo("BAD_REQUEST_ID");
    }

    @Test
    void metadataIsCountedInEntriesAndUtf8Bytes() {
        Map<String, String> metadata = new HashMap<>();
        metadata.put("tenant", "acme");  // 10 bytes
        metadata.put("note", "€");       // 7 bytes
        RecordFacts f = Requests.deserializer().decode(record(null,
                WIRE.encode(request("r").setClientMetadata(metadata).build()))).facts();
        assertThat(f.metadataEntries()).isEqualTo(2);
        assertThat(f.metadataBytes()).isEqualTo(17);
    }

    @Test
    void everySetDeadlineCanPassAndNoneNeverDoes() {
        assertThat(Requests.deadline(null)).isZero();
        assertThat(Requests.deadline(Instant.EPOCH)).isEqualTo(-1);
        assertThat(Requests.deadline(Instant.ofEpochMilli(-1000))).isEqualTo(-1000);
        AcceptedRequest epoch = Requests.deserializer().decode(record(null,
                WIRE.encode(request("r").setDeadline(Instant.EPOCH).build()))).request();
        assertThat(epoch.expiredAt(System.currentTimeMillis())).isTrue();
        AcceptedRequest none = Requests.deserializer().decode(record(null, WIRE.encode(request("r").build())))
                .request();
        assertThat(none.expiredAt(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void anEmptyIdIsStillADeadLetter() {
        assertThat(Requests.deserializer().decode(record(null, WIRE.encode(request(" ").build()))).deadLetter()
                .error()).contains("request_id is empty");
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
