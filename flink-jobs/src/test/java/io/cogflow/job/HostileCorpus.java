package io.cogflow.job;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.OutputFormat;
import io.cogflow.schemas.Sampler;
import io.cogflow.schemas.Status;
import io.cogflow.schemas.WireFormat;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A corpus of hostile raw Kafka records for the requests topic ({@code testdata/corpus/hostile-requests.jsonl}):
 * valid requests that must succeed on the demo model (64x64x17 only), every limit of docs/limits.md just past
 * its edge, expired deadlines, and records that are not requests at all. Deterministic: no clock, and the one
 * random source has a fixed seed, so {@link HostileCorpusTest} can compare the committed file byte for byte.
 *
 * <p>Regenerate the committed file after changing this class: run its {@code main} with the argument
 * {@code testdata/corpus/hostile-requests.jsonl} from the repository root, or let the test call it:
 * {@code mvn -o -q -pl flink-jobs -am test -Dtest=HostileCorpusTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcogflow.corpus.regenerate=true}.
 */
final class HostileCorpus {
    /** Where the corpus is committed, relative to the repository root. */
    static final String FILE = "testdata/corpus/hostile-requests.jsonl";

    static final WireFormat<GenerationRequest> WIRE = WireFormat.of(GenerationRequest.class);

    /** What the job must make of a record. */
    enum Expect {
        /** A SUCCEEDED result: the request passes every check and reaches the generator. */
        RESULT("result"),
        /** A REJECTED result with a code. */
        REJECTED("rejected"),
        /** An EXPIRED result (DEADLINE_PASSED). */
        EXPIRED("expired"),
        /** Not a request: a dead letter. */
        DEAD_LETTER("dead_letter");

        final String wire;

        Expect(String wire) {
            this.wire = wire;
        }

        static Expect ofWire(String s) {
            for (Expect e : values()) {
                if (e.wire.equals(s)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("unknown expect: " + s);
        }
    }

    /**
     * One record. {@code code} is not written to the file: for {@link Expect#REJECTED} the rejection code the test
     * expects, for {@link Expect#DEAD_LETTER} a fragment of the dead letter's error, else null — so a record refused
     * for another reason than the one it is about fails the test.
     */
    record Entry(String name, byte[] key, byte[] value, Expect expect, String code) {
    }

    private static final String PROMPT = "a red fox running through fresh snow";
    private static final Instant FAR_FUTURE = Instant.parse("2100-01-01T00:00:00Z");
    private static final String EMOJI = "\uD83E\uDD8A";  // 🦊, 4 bytes in UTF-8, one code point

    private final List<Entry> entries = new ArrayList<>();

    private HostileCorpus() {
    }

    static List<Entry> build() {
        HostileCorpus c = new HostileCorpus();
        c.valid();
        c.requestIds();
        c.keys();
        c.prompts();
        c.metadata();
        c.sampling();
        c.clip();
        c.ordering();
        c.expired();
        c.deadLetters();
        return List.copyOf(c.entries);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: HostileCorpus <output .jsonl>, e.g. " + FILE);
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.write(out, toJsonl(build()));
        System.out.println("wrote " + build().size() + " records to " + out);
    }

    /** The corpus as JSON lines, written with Jackson. */
    static byte[] toJsonl(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonFactory json = new JsonFactory();
        Base64.Encoder b64 = Base64.getEncoder();
        try {
            for (Entry e : entries) {
                try (JsonGenerator g = json.createGenerator(new NoClose(out), JsonEncoding.UTF8)) {
                    g.writeStartObject();
                    g.writeStringField("name", e.name());
                    if (e.key() == null) {
                        g.writeNullField("key_b64");
                    } else {
                        g.writeStringField("key_b64", b64.encodeToString(e.key()));
                    }
                    g.writeStringField("value_b64", b64.encodeToString(e.value()));
                    g.writeStringField("expect", e.expect().wire);
                    g.writeEndObject();
                }
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Keeps the generator from closing the shared stream. */
    private static final class NoClose extends java.io.FilterOutputStream {
        NoClose(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // valid requests: each must come back SUCCEEDED from the demo model

    private void valid() {
        ok("valid-minimal", req("corpus-valid-minimal"));
        ok("valid-id-katakana", req("リクエスト-1"));
        ok("valid-id-path-like", req("job/42:a.b_c"));
        okKey("valid-id-uuid-no-key", null, req("3f2b8c1e-9a4d-4e6b-8f1a-2c3d4e5f6a7b"));
        okKey("valid-key-empty", new byte[0], req("corpus-valid-key-empty"));
        ok("valid-id-combining-mark", req("cafe\u0301-\u00e9t\u00e9"));
        ok("valid-id-256-bytes", req("リ".repeat(85) + "a"));  // 85 * 3 + 1 = 256 bytes
        ok("valid-emoji-prompt", req("corpus-valid-emoji").setPrompt("a " + EMOJI + " in the snow \u2744\uFE0F, "
                + "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 watching"));
        ok("valid-prompt-leading-invisibles", req("corpus-valid-leading-invisibles")
                .setPrompt(" \u200B\u00A0\u3164a fox"));
        ok("valid-negative-prompt", req("corpus-valid-negative")
                .setNegativePrompt("blurry, low quality, \uD83D\uDE21"));
        ok("valid-sampler-ddim", req("corpus-valid-ddim").setSampler(Sampler.DDIM).setSteps(3));
        ok("valid-sampler-dpm", req("corpus-valid-dpm").setSampler(Sampler.DPM).setSteps(1));
        ok("valid-dynamic-cfg-seed", req("corpus-valid-dynamic-cfg").setDynamicCfg(true).setSeed(42L));
        ok("valid-seed-long-min", req("corpus-valid-seed-min").setSeed(Long.MIN_VALUE));
        ok("valid-seed-long-max", req("corpus-valid-seed-max").setSeed(Long.MAX_VALUE));
        ok("valid-format-mp4", req("corpus-valid-mp4").setOutputFormat(OutputFormat.MP4));
        ok("valid-format-gif", req("corpus-valid-gif").setOutputFormat(OutputFormat.GIF));
        ok("valid-format-png-sheet", req("corpus-valid-png-sheet").setOutputFormat(OutputFormat.PNG_SHEET));
        ok("valid-fps-1", req("corpus-valid-fps-1").setFps(1));
        ok("valid-fps-60", req("corpus-valid-fps-60").setFps(60));
        ok("valid-priority-1000", req("corpus-valid-priority-max").setPriority(1000));
        ok("valid-priority-minus-1000", req("corpus-valid-priority-min").setPriority(-1000));
        ok("valid-guidance-0", req("corpus-valid-guidance-0").setGuidance(0.0));
        ok("valid-guidance-negative-zero", req("corpus-valid-guidance-neg-zero").setGuidance(-0.0));
        ok("valid-guidance-30", req("corpus-valid-guidance-30").setGuidance(30.0));
        ok("valid-deadline-2100", req("corpus-valid-deadline-2100").setDeadline(FAR_FUTURE));
        ok("valid-deadline-long-max", req("corpus-valid-deadline-max")
                .setDeadline(Instant.ofEpochMilli(Long.MAX_VALUE)));
        ok("valid-metadata-at-both-limits", req("corpus-valid-metadata-limits").setClientMetadata(metadata(32, 4096)));
        ok("valid-metadata-one-entry-4096-bytes", req("corpus-valid-metadata-one")
                .setClientMetadata(Map.of("k", "v".repeat(4095))));
        // 2000 emoji: exactly 8000 bytes and exactly 2000 code points
        ok("valid-prompt-at-both-limits", req("corpus-valid-prompt-limits").setPrompt(EMOJI.repeat(2000)));
        ok("valid-prompt-2000-ascii-chars", req("corpus-valid-prompt-2000").setPrompt("a".repeat(2000)));
        ok("valid-negative-prompt-at-both-limits", req("corpus-valid-negative-limits")
                .setNegativePrompt(EMOJI.repeat(2000)));
        GenerationRequest dup = req("corpus-valid-duplicate").setSeed(7L).setOutputFormat(OutputFormat.GIF).build();
        ok("valid-duplicate-first", dup);
        ok("valid-duplicate-second", dup);
        // written with the schema's version 1 (no priority, no client_metadata): read with their defaults
        add("valid-written-with-schema-v1", utf8("corpus-valid-v1"), v1Request("corpus-valid-v1"), Expect.RESULT, null);
        // client_metadata as one block with a negative count and its byte size, as Avro allows
        Raw blocks = new Raw("corpus-valid-metadata-blocks");
        blocks.metadata = concat(varint(-2), varint(12), str("ab"), str("cd"), str("ef"), str("gh"), varint(0));
        add("valid-metadata-block-encoded", utf8("corpus-valid-metadata-blocks"), blocks.encode(), Expect.RESULT, null);
    }

    // ---------------------------------------------------------------------------------------------------------
    // request_id: BAD_REQUEST_ID

    private void requestIds() {
        badId("id-257-bytes", "リ".repeat(85) + "ab");
        badId("id-300-ascii", "x".repeat(300));
        badId("id-4096-bytes", "y".repeat(4096));
        badId("id-space", "job 1");
        badId("id-nbsp", "job\u00A01");
        badId("id-only-nbsp", "\u00A0");  // not blank to Java (isBlank): no dead letter but a rejection
        badId("id-ideographic-space", "job\u30001");
        badId("id-control-bel", "job\u00071");
        badId("id-escape-sequence", "job\u001B[31m1");
        badId("id-newline", "job-1\n");
        badId("id-nul", "job\u00001");
        badId("id-del", "job\u007F1");
        badId("id-c1-control", "job\u00851");
        badId("id-zero-width-space", "job\u200B1");
        badId("id-only-zero-width-space", "\u200B");
        badId("id-bom", "\uFEFFjob-1");
        badId("id-rtl-override", "job-\u202Egpj.exe");
        badId("id-line-separator", "job\u20281");
        badId("id-private-use", "job-\uE000");
        badId("id-supplementary-private-use", "job-\uDB80\uDC00");  // U+F0000
        badId("id-unassigned", "job-\u0378");
        badId("id-replacement-char", "job-\uFFFD");
        badIdBytes("id-invalid-utf8-continuation", new byte[]{'j', 'o', 'b', '-', (byte) 0x80});
        badIdBytes("id-invalid-utf8-overlong-slash", new byte[]{'j', 'o', 'b', (byte) 0xC0, (byte) 0xAF, '1'});
        badIdBytes("id-invalid-utf8-encoded-surrogate",
                new byte[]{'j', 'o', 'b', (byte) 0xED, (byte) 0xA0, (byte) 0x80});
        badIdBytes("id-invalid-utf8-truncated-sequence", new byte[]{'j', 'o', 'b', (byte) 0xE3, (byte) 0x83});
        badIdBytes("id-invalid-utf8-ff", new byte[]{(byte) 0xFF, (byte) 0xFE, 'j', 'o', 'b'});
    }

    private void badId(String name, String id) {
        add(name, utf8(id), WIRE.encode(req(id).build()), Expect.REJECTED, "BAD_REQUEST_ID");
    }

    /** The id's bytes on the wire are not UTF-8: built by hand, sent with the same bytes as key. */
    private void badIdBytes(String name, byte[] id) {
        Raw r = new Raw("x");
        r.id = str(id);
        add(name, id, r.encode(), Expect.REJECTED, "BAD_REQUEST_ID");
    }

    // ---------------------------------------------------------------------------------------------------------
    // the Kafka key: KEY_MISMATCH

    private void keys() {
        String id = "corpus-key-check";
        byte[] value = WIRE.encode(req(id).build());
        add("key-other-id", utf8("corpus-key-other"), value, Expect.REJECTED, "KEY_MISMATCH");
        add("key-differs-in-case", utf8("Corpus-Key-Check"), value, Expect.REJECTED, "KEY_MISMATCH");
        add("key-trailing-newline", utf8(id + "\n"), value, Expect.REJECTED, "KEY_MISMATCH");
        add("key-utf16", id.getBytes(StandardCharsets.UTF_16LE), value, Expect.REJECTED, "KEY_MISMATCH");
        add("key-single-nul-byte", new byte[]{0}, value, Expect.REJECTED, "KEY_MISMATCH");
        add("key-id-prefix", utf8("corpus-key"), value, Expect.REJECTED, "KEY_MISMATCH");
        // the same text to a reader, other bytes: the id in NFC, the key in NFD
        add("key-nfd-of-nfc-id", utf8("cafe\u0301-2"), WIRE.encode(req("caf\u00e9-2").build()), Expect.REJECTED,
                "KEY_MISMATCH");
    }

    // ---------------------------------------------------------------------------------------------------------
    // prompt and negative prompt: PROMPT_TOO_LONG, EMPTY_PROMPT, NEGATIVE_PROMPT_TOO_LONG

    private void prompts() {
        rejected("prompt-8001-bytes", req("corpus-prompt-8001-bytes").setPrompt(EMOJI.repeat(2000) + "a"),
                "PROMPT_TOO_LONG");
        rejected("prompt-8001-ascii-bytes", req("corpus-prompt-8001-ascii").setPrompt("a".repeat(8001)),
                "PROMPT_TOO_LONG");
        rejected("prompt-2001-chars", req("corpus-prompt-2001-chars").setPrompt("a".repeat(2001)), "PROMPT_TOO_LONG");
        rejected("prompt-2001-cjk-chars", req("corpus-prompt-2001-cjk").setPrompt("狐".repeat(2001)),
                "PROMPT_TOO_LONG");  // 6003 bytes: within the byte limit, past the characters
        empty("prompt-empty", "");
        empty("prompt-spaces", "     ");
        empty("prompt-tabs-newlines", "\t\n\r\u000B\u000C");
        empty("prompt-nbsp", "\u00A0\u00A0");
        empty("prompt-ideographic-space", "\u3000");
        empty("prompt-zero-width-space", "\u200B\u200B\u200B");
        empty("prompt-zwj-word-joiner-bom", "\u200D\u2060\uFEFF");
        empty("prompt-nul", "\u0000");
        empty("prompt-hangul-fillers", "\u115F\u1160\u3164\uFFA0");
        empty("prompt-hangul-filler-3164", "\u3164\u3164");
        empty("prompt-braille-blank", "\u2800\u2800\u2800");
        empty("prompt-lone-combining-mark", "\u0301");
        empty("prompt-enclosing-mark", "\u20DD");
        empty("prompt-tag-characters", "\uDB40\uDC20\uDB40\uDC41\uDB40\uDC7F");  // U+E0020, U+E0041, U+E007F
        empty("prompt-line-paragraph-separators", "\u2028\u2029");
        empty("prompt-unassigned", "\u0378\u0379");
        empty("prompt-mixed-invisibles", " \u00A0\u200B\u0000\u3164\u2800\u0301\uFEFF\n");
        rejected("negative-prompt-8001-bytes", req("corpus-negative-8001-bytes")
                .setNegativePrompt(EMOJI.repeat(2000) + "a"), "NEGATIVE_PROMPT_TOO_LONG");
        rejected("negative-prompt-2001-chars", req("corpus-negative-2001-chars")
                .setNegativePrompt("b".repeat(2001)), "NEGATIVE_PROMPT_TOO_LONG");
    }

    private void empty(String name, String prompt) {
        rejected(name, req("corpus-" + name).setPrompt(prompt), "EMPTY_PROMPT");
    }

    // ---------------------------------------------------------------------------------------------------------
    // client_metadata: METADATA_TOO_LARGE

    private void metadata() {
        rejected("metadata-33-entries", req("corpus-metadata-33").setClientMetadata(metadata(33, 33 * 4)),
                "METADATA_TOO_LARGE");
        rejected("metadata-4097-bytes", req("corpus-metadata-4097").setClientMetadata(metadata(32, 4097)),
                "METADATA_TOO_LARGE");
        rejected("metadata-multibyte-4099-bytes", req("corpus-metadata-multibyte")
                .setClientMetadata(Map.of("k", "€".repeat(1366))), "METADATA_TOO_LARGE");  // 1367 chars, 4099 bytes
    }

    /** {@code entries} entries whose keys and values have {@code bytes} bytes in all (ASCII). */
    private static Map<String, String> metadata(int entries, int bytes) {
        Map<String, String> m = new LinkedHashMap<>();
        int used = 0;
        for (int i = 0; i < entries; i++) {
            String k = String.format("k%02d", i);
            m.put(k, "");
            used += k.length();
        }
        // the remaining bytes go to the values, spread evenly
        int rest = bytes - used;
        int i = 0;
        for (Map.Entry<String, String> e : m.entrySet()) {
            int share = rest / entries + (i < rest % entries ? 1 : 0);
            e.setValue("v".repeat(share));
            i++;
        }
        return m;
    }

    // ---------------------------------------------------------------------------------------------------------
    // steps and guidance: BAD_STEPS, BAD_GUIDANCE

    private void sampling() {
        int[] steps = {0, -1, 101, 1000, Integer.MAX_VALUE, Integer.MIN_VALUE};
        String[] stepNames = {"0", "minus-1", "101", "1000", "int-max", "int-min"};
        for (int i = 0; i < steps.length; i++) {
            rejected("steps-" + stepNames[i], req("corpus-steps-" + stepNames[i]).setSteps(steps[i]), "BAD_STEPS");
        }
        double[] guidance = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.1, 30.0001, 1e308,
                -Double.MIN_VALUE, Math.nextUp(30.0), -1e308};
        String[] guidanceNames = {"nan", "plus-infinity", "minus-infinity", "minus-0.1", "30.0001", "1e308",
                "minus-min-value", "next-after-30", "minus-1e308"};
        for (int i = 0; i < guidance.length; i++) {
            rejected("guidance-" + guidanceNames[i], req("corpus-guidance-" + guidanceNames[i])
                    .setGuidance(guidance[i]), "BAD_GUIDANCE");
        }
        Raw nan = new Raw("corpus-guidance-nan-payload");
        nan.guidance = Double.longBitsToDouble(0x7FF0000000000001L);  // a signalling NaN with a payload
        add("guidance-signalling-nan", utf8("corpus-guidance-nan-payload"), nan.encode(), Expect.REJECTED,
                "BAD_GUIDANCE");
    }

    // ---------------------------------------------------------------------------------------------------------
    // sizes, fps, priority: UNSUPPORTED_SIZE, BAD_FPS, BAD_PRIORITY

    private void clip() {
        size("size-48x48x9", 48, 48, 9);
        size("size-64x64x16", 64, 64, 16);
        size("size-64x64x9", 64, 64, 9);
        size("size-64x64x49", 64, 64, 49);
        size("size-128x128x17", 128, 128, 17);
        size("size-65x64x17", 65, 64, 17);
        size("size-64x64x18", 64, 64, 18);
        size("size-0x64x17", 0, 64, 17);
        size("size-64x0x17", 64, 0, 17);
        size("size-64x64x0", 64, 64, 0);
        size("size-negative-width", -64, 64, 17);
        size("size-negative-frames", 64, 64, -17);
        size("size-100000x100000x17", 100_000, 100_000, 17);
        size("size-int-max", Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
        size("size-int-min", Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE);
        size("size-64x64x1", 64, 64, 1);
        int[] fps = {0, -1, 61, Integer.MAX_VALUE, Integer.MIN_VALUE};
        String[] fpsNames = {"0", "minus-1", "61", "int-max", "int-min"};
        for (int i = 0; i < fps.length; i++) {
            rejected("fps-" + fpsNames[i], req("corpus-fps-" + fpsNames[i]).setFps(fps[i]), "BAD_FPS");
        }
        int[] priority = {1001, -1001, Integer.MAX_VALUE, Integer.MIN_VALUE};
        String[] priorityNames = {"1001", "minus-1001", "int-max", "int-min"};
        for (int i = 0; i < priority.length; i++) {
            rejected("priority-" + priorityNames[i], req("corpus-priority-" + priorityNames[i])
                    .setPriority(priority[i]), "BAD_PRIORITY");
        }
    }

    private void size(String name, int width, int height, int frames) {
        rejected(name, req("corpus-" + name).setWidth(width).setHeight(height).setFrames(frames), "UNSUPPORTED_SIZE");
    }

    // ---------------------------------------------------------------------------------------------------------
    // which reason wins when a record breaks several rules: the order of RequestLimits, rejection before expiry

    private void ordering() {
        // the id is checked before the key: an id that could never match is the clearer reason
        add("order-bad-id-and-key-mismatch", utf8("other"), WIRE.encode(req("job 1").build()), Expect.REJECTED,
                "BAD_REQUEST_ID");
        rejected("order-expired-and-bad-steps", req("corpus-order-expired-steps").setDeadline(Instant.EPOCH)
                .setSteps(0), "BAD_STEPS");
        rejected("order-expired-and-unsupported-size", req("corpus-order-expired-size").setDeadline(Instant.EPOCH)
                .setFrames(9), "UNSUPPORTED_SIZE");
        rejected("order-empty-prompt-and-bad-fps", req("corpus-order-prompt-fps").setPrompt(" ").setFps(0),
                "EMPTY_PROMPT");
        add("order-metadata-and-key-mismatch", utf8("nope"), WIRE.encode(req("corpus-order-meta-key")
                .setClientMetadata(metadata(33, 200)).build()), Expect.REJECTED, "KEY_MISMATCH");
        // a record exactly at max_record_bytes is decoded, and then refused for its prompt
        add("record-at-65536-bytes", utf8("corpus-record-65536"), recordOfSize("corpus-record-65536", 65_536),
                Expect.REJECTED, "PROMPT_TOO_LONG");
    }

    // ---------------------------------------------------------------------------------------------------------
    // deadlines: EXPIRED

    private void expired() {
        expire("deadline-epoch", Instant.EPOCH);
        expire("deadline-1ms-after-epoch", Instant.ofEpochMilli(1));
        expire("deadline-5s-after-epoch", Instant.ofEpochMilli(5_000));
        expire("deadline-1ms-before-epoch", Instant.ofEpochMilli(-1));
        expire("deadline-year-1", Instant.parse("0001-01-01T00:00:00Z"));
        expire("deadline-long-min", Instant.ofEpochMilli(Long.MIN_VALUE));
        expire("deadline-year-2000", Instant.parse("2000-01-01T00:00:00Z"));
        expire("deadline-2020", Instant.parse("2020-02-29T12:00:00Z"));
    }

    private void expire(String name, Instant deadline) {
        add(name, utf8("corpus-" + name), WIRE.encode(req("corpus-" + name).setDeadline(deadline).build()),
                Expect.EXPIRED, null);
    }

    // ---------------------------------------------------------------------------------------------------------
    // not requests: dead letters

    private void deadLetters() {
        byte[] valid = WIRE.encode(req("corpus-dead").build());
        byte[] key = utf8("corpus-dead");
        dead("empty-value", key, new byte[0], "empty value");
        byte[] garbage = new byte[64];
        new Random(20261130L).nextBytes(garbage);
        garbage[0] = 0x42;
        dead("garbage-bytes", null, garbage, "not Avro single-object encoding");
        dead("json-document", key, utf8("{\"request_id\":\"corpus-dead\",\"prompt\":\"a fox\",\"width\":64,"
                + "\"height\":64,\"frames\":17}"), "not Avro single-object encoding");
        dead("plain-text", null, utf8("hello"), "not Avro single-object encoding");
        dead("marker-byte-only", key, new byte[]{(byte) 0xC3}, "truncated header");
        dead("header-marker-only", key, new byte[]{(byte) 0xC3, 0x01}, "truncated header");
        dead("wrong-marker-version", key, concat(new byte[]{(byte) 0xC3, 0x02},
                Arrays.copyOfRange(valid, 2, valid.length)), "expected the marker C3 01");
        dead("header-without-body", key, Arrays.copyOf(valid, 10), "request_id: the message ends");
        dead("header-truncated-fingerprint", key, Arrays.copyOf(valid, 6), "truncated header");
        byte[] unknown = valid.clone();
        unknown[2] ^= 0x5A;
        dead("unknown-fingerprint", key, unknown, "unknown schema fingerprint");
        dead("confluent-wire-format", key, concat(new byte[]{0, 0, 0, 0, 7},
                Arrays.copyOfRange(valid, 10, valid.length)), "not Avro single-object encoding");
        dead("truncated-half", key, Arrays.copyOf(valid, valid.length / 2), "only 18 left");
        dead("truncated-last-byte", key, Arrays.copyOf(valid, valid.length - 1), "client_metadata: the message ends");
        dead("trailing-byte", key, concat(valid, new byte[]{0}), "1 trailing bytes");
        dead("two-requests-concatenated", key, concat(valid, valid), "trailing bytes");
        dead("generation-result-record", key, WireFormat.of(GenerationResult.class).encode(GenerationResult
                .newBuilder().setRequestId("corpus-dead").setStatus(Status.SUCCEEDED).setWidth(64).setHeight(64)
                .setFrames(17).setFps(8).setModelId("demo").setBatchSize(1)
                .setCreatedAt(Instant.parse("2026-01-01T00:00:00Z")).build()),
                "GenerationResult, a record of another type");
        dead("schema-missing-fields", key, foreignRequest(), "newer or foreign schema");
        dead("v1-fingerprint-current-body", key, concat(header(v1Schema()),
                Arrays.copyOfRange(valid, 10, valid.length)), "schema v1");
        Raw r;
        r = new Raw("x");
        r.id = concat(varint(Integer.MAX_VALUE), utf8("corpus-dead"));
        dead("id-length-int-max", null, r.encode(), "request_id: string of 2147483647 bytes");
        r = new Raw("x");
        r.id = concat(varint(Long.MAX_VALUE), utf8("corpus-dead"));
        dead("id-length-long-max", null, r.encode(), "request_id: string of 9223372036854775807 bytes");
        r = new Raw("x");
        r.id = concat(varint(-1), utf8("corpus-dead"));
        dead("id-length-negative", null, r.encode(), "request_id: negative length");
        r = new Raw("corpus-dead");
        r.prompt = concat(varint(1 << 30), utf8(PROMPT));
        dead("prompt-length-huge", key, r.encode(), "prompt: string of 1073741824 bytes");
        r = new Raw("corpus-dead");
        r.prompt = concat(varint(-1000), utf8(PROMPT));
        dead("prompt-length-negative", key, r.encode(), "prompt: negative length");
        r = new Raw("corpus-dead");
        r.metadata = concat(varint(Integer.MAX_VALUE), str("k"), str("v"), varint(0));
        dead("metadata-count-huge", key, r.encode(), "client_metadata: map of 2147483647 entries");
        r = new Raw("corpus-dead");
        r.metadata = concat(varint(-1), varint(-5), str("k"), str("v"), varint(0));
        dead("metadata-block-size-negative", key, r.encode(), "client_metadata: block of -5 bytes");
        r = new Raw("corpus-dead");
        r.metadata = concat(varint(1), str("k"), str("v"));  // the closing 0 block missing
        dead("metadata-unterminated", key, r.encode(), "client_metadata: the message ends");
        r = new Raw("corpus-dead");
        r.width = new byte[]{(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        dead("int-varint-six-bytes", key, r.encode(), "width: over-long varint");
        r = new Raw("corpus-dead");
        r.dynamicCfg = 2;
        dead("boolean-byte-2", key, r.encode(), "dynamic_cfg: boolean byte 02");
        r = new Raw("corpus-dead");
        r.outputFormat = 3;
        dead("output-format-ordinal-3", key, r.encode(), "output_format: enum OutputFormat ordinal 3");
        r = new Raw("corpus-dead");
        r.outputFormat = -1;
        dead("output-format-ordinal-negative", key, r.encode(), "output_format: enum OutputFormat ordinal -1");
        r = new Raw("corpus-dead");
        r.sampler = concat(varint(1), varint(2));
        dead("sampler-ordinal-2", key, r.encode(), "sampler: enum Sampler ordinal 2");
        r = new Raw("corpus-dead");
        r.sampler = varint(2);
        dead("sampler-union-branch-2", key, r.encode(), "sampler: union branch 2");
        r = new Raw("corpus-dead");
        r.seed = concat(varint(-1), varint(42));
        dead("seed-union-branch-negative", key, r.encode(), "seed: union branch -1");
        r = new Raw("corpus-dead");
        r.deadline = concat(varint(5), varint(0));
        dead("deadline-union-branch-5", key, r.encode(), "deadline: union branch 5");
        dead("record-65537-bytes", key, recordOfSize("corpus-dead", 65_537), "validation.max_record_bytes (65536)");
        dead("empty-request-id", null, WIRE.encode(req("").build()), "request_id is empty");
        dead("blank-request-id", null, WIRE.encode(req("   ").build()), "request_id is empty");
        dead("blank-request-id-tabs-newlines", null, WIRE.encode(req("\t\n\r").build()), "request_id is empty");
    }

    /** @param why a fragment of the dead letter's error: the record is dead for the reason it is about */
    private void dead(String name, byte[] key, byte[] value, String why) {
        add(name, key, value, Expect.DEAD_LETTER, why);
    }

    // ---------------------------------------------------------------------------------------------------------
    // building blocks

    /** A valid request for the demo model (64x64x17, two steps); the key is the id unless said otherwise. */
    private static GenerationRequest.Builder req(String id) {
        return GenerationRequest.newBuilder().setRequestId(id).setPrompt(PROMPT).setWidth(64).setHeight(64)
                .setFrames(17).setFps(8).setSteps(2).setGuidance(6.0);
    }

    private void ok(String name, GenerationRequest.Builder b) {
        ok(name, b.build());
    }

    private void ok(String name, GenerationRequest r) {
        add(name, utf8(r.getRequestId()), WIRE.encode(r), Expect.RESULT, null);
    }

    private void okKey(String name, byte[] key, GenerationRequest.Builder b) {
        add(name, key, WIRE.encode(b.build()), Expect.RESULT, null);
    }

    private void rejected(String name, GenerationRequest.Builder b, String code) {
        GenerationRequest r = b.build();
        add(name, utf8(r.getRequestId()), WIRE.encode(r), Expect.REJECTED, code);
    }

    private void add(String name, byte[] key, byte[] value, Expect expect, String code) {
        if (!name.matches("[a-z0-9][a-z0-9.-]*")) {
            throw new IllegalArgumentException("not a slug: " + name);
        }
        entries.add(new Entry(name, key, value, expect, code));
    }

    /** A wire-format request of exactly {@code size} bytes, its prompt filled with 'a'. */
    private static byte[] recordOfSize(String id, int size) {
        int prompt = size - 200;
        for (int i = 0; i < 8; i++) {
            byte[] b = WIRE.encode(req(id).setPrompt("a".repeat(prompt)).build());
            if (b.length == size) {
                return b;
            }
            prompt += size - b.length;
        }
        throw new IllegalStateException("cannot make a record of " + size + " bytes");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Avro's zig-zag varint of a long (an int is written the same way). */
    static byte[] varint(long v) {
        long z = (v << 1) ^ (v >> 63);
        byte[] buf = new byte[10];
        int n = 0;
        while ((z & ~0x7FL) != 0) {
            buf[n++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        buf[n++] = (byte) z;
        return Arrays.copyOf(buf, n);
    }

    /** An Avro string (or bytes): its length, then the bytes as they are. */
    private static byte[] str(byte[] bytes) {
        return concat(varint(bytes.length), bytes);
    }

    private static byte[] str(String s) {
        return str(utf8(s));
    }

    private static byte[] header(Schema writer) {
        return concat(new byte[]{(byte) 0xC3, 0x01}, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(WireFormat.fingerprint(writer)).array());
    }

    /**
     * A request written field by field in the current schema, so any field can be replaced by bytes the Avro
     * encoder would never write (not UTF-8, lengths that lie, ordinals out of range). Each field holds its encoded
     * bytes; the defaults make a valid request for the demo model.
     */
    private static final class Raw {
        byte[] id;
        byte[] prompt = str(PROMPT);
        byte[] negative = str("");
        byte[] width = varint(64);
        byte[] height = varint(64);
        byte[] frames = varint(17);
        byte[] fps = varint(8);
        byte[] steps = varint(2);
        double guidance = 6.0;
        int dynamicCfg = 0;
        byte[] seed = varint(0);
        byte[] sampler = varint(0);
        long outputFormat = 0;
        byte[] priority = varint(0);
        byte[] deadline = varint(0);
        byte[] metadata = varint(0);

        Raw(String id) {
            this.id = str(id);
        }

        byte[] encode() {
            byte[] g = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(Double.doubleToRawLongBits(guidance)).array();
            return concat(header(WIRE.schema()), id, prompt, negative, width, height, frames, fps, steps, g,
                    new byte[]{(byte) dynamicCfg}, seed, sampler, varint(outputFormat), priority, deadline, metadata);
        }
    }

    private static Schema v1Schema() {
        try (InputStream in = GenerationRequest.class.getClassLoader()
                .getResourceAsStream("io/cogflow/schemas/history/GenerationRequest-v1.avsc")) {
            if (in == null) {
                throw new IllegalStateException("GenerationRequest-v1.avsc is not on the class path");
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A valid request written with version 1 of the schema (no priority, no client_metadata). */
    private static byte[] v1Request(String id) {
        Schema v1 = v1Schema();
        GenericRecord r = new GenericData.Record(v1);
        r.put("request_id", id);
        r.put("prompt", PROMPT);
        r.put("negative_prompt", "");
        r.put("width", 64);
        r.put("height", 64);
        r.put("frames", 17);
        r.put("fps", 8);
        r.put("steps", 2);
        r.put("guidance", 6.0);
        r.put("dynamic_cfg", false);
        r.put("seed", null);
        r.put("sampler", null);
        r.put("output_format", new GenericData.EnumSymbol(v1.getField("output_format").schema(), "MP4"));
        r.put("deadline", null);
        return concat(header(v1), generic(v1, r));
    }

    /** A "GenerationRequest" of a schema the job never saw: only an id and a prompt. */
    private static byte[] foreignRequest() {
        Schema s = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"GenerationRequest\","
                + "\"namespace\":\"io.cogflow.schemas\",\"fields\":[{\"name\":\"request_id\",\"type\":\"string\"},"
                + "{\"name\":\"prompt\",\"type\":\"string\"}]}");
        GenericRecord r = new GenericData.Record(s);
        r.put("request_id", "corpus-dead");
        r.put("prompt", PROMPT);
        return concat(header(s), generic(s, r));
    }

    private static byte[] generic(Schema s, GenericRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(s).write(r, e);
            e.flush();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return out.toByteArray();
    }
}
