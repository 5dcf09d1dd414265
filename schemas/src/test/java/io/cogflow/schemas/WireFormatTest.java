package io.cogflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class WireFormatTest {
    private final WireFormat<GenerationRequest> requests = WireFormat.of(GenerationRequest.class);

    @Test
    void roundTripsEveryRecordType() throws Exception {
        assertRoundTrip(GenerationRequest.class, Records.request());
        assertRoundTrip(GenerationRequest.class, Records.minimalRequest());
        assertRoundTrip(GenerationResult.class, Records.result());
        assertRoundTrip(GenerationResult.class, Records.failedResult());
        assertRoundTrip(GenerationResult.class, Records.largeResult());
        assertRoundTrip(GenerationProgress.class, Records.progress());
        assertRoundTrip(DeadLetter.class, Records.deadLetter());
    }

    private static <T extends SpecificRecord> void assertRoundTrip(Class<T> type, T record) throws Exception {
        WireFormat<T> format = WireFormat.of(type);
        byte[] bytes = format.encode(record);
        assertThat(format.decode(bytes)).isEqualTo(record);
        // header: C3 01, then the little-endian CRC-64-AVRO fingerprint of the current schema
        assertThat(Arrays.copyOf(bytes, 2)).containsExactly(0xC3, 0x01);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(WireFormat.fingerprint(record.getSchema()));
    }

    @Test
    void defaultsFillTheOptionalFields() throws Exception {
        GenerationRequest decoded = requests.decode(requests.encode(Records.minimalRequest()));
        assertThat(decoded.getNegativePrompt()).isEmpty();
        assertThat(decoded.getFps()).isEqualTo(8);
        assertThat(decoded.getSteps()).isEqualTo(50);
        assertThat(decoded.getGuidance()).isEqualTo(6.0);
        assertThat(decoded.getDynamicCfg()).isFalse();
        assertThat(decoded.getSeed()).isNull();
        assertThat(decoded.getSampler()).isNull();
        assertThat(decoded.getOutputFormat()).isEqualTo(OutputFormat.MP4);
        assertThat(decoded.getPriority()).isZero();
        assertThat(decoded.getDeadline()).isNull();
        assertThat(decoded.getClientMetadata()).isEmpty();

        GenerationResult failed = WireFormat.of(GenerationResult.class).decode(
                WireFormat.of(GenerationResult.class).encode(Records.failedResult()));
        assertThat(failed.getVideo()).isNull();
        assertThat(failed.getTimings()).isNull();
        assertThat(failed.getModelId()).isEmpty();
        assertThat(failed.getWidth()).isZero();
        assertThat(failed.getCreatedAt()).isEqualTo(Records.T0);
    }

    @Test
    void nullAndEmptyAreRejected() {
        assertThatThrownBy(() -> requests.decode(null))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("null");
        assertThatThrownBy(() -> requests.decode(new byte[0]))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("empty");
    }

    @Test
    void garbageAndAWrongMarkerAreRejected() {
        byte[] json = "{\"request_id\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> requests.decode(json))
                .isInstanceOf(WireFormatException.class)
                .hasMessage("not Avro single-object encoding: starts with 7B 22 72 65, expected the marker C3 01 (18 bytes)");
        // Confluent Schema Registry framing: magic 0, 4-byte schema id
        byte[] confluent = {0, 0, 0, 0, 1, 2, 'a', 'b', 'c', 'd', 'e', 'f'};
        assertThatThrownBy(() -> requests.decode(confluent))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("expected the marker C3 01");
        byte[] wrongVersion = requests.encode(Records.request());
        wrongVersion[1] = 0x02;
        assertThatThrownBy(() -> requests.decode(wrongVersion))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("starts with C3 02");
        assertThatThrownBy(() -> requests.decode(new byte[] {(byte) 0xC3}))
                .isInstanceOf(WireFormatException.class).hasMessageStartingWith("truncated header: 1 bytes");
    }

    @Test
    void anUnknownFingerprintIsRejectedAndNamed() {
        byte[] bytes = requests.encode(Records.request());
        bytes[5] ^= 0x40;
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThatThrownBy(() -> requests.decode(bytes))
                .isInstanceOf(WireFormatException.class)
                .hasMessageStartingWith(String.format("unknown schema fingerprint %016x for io.cogflow.schemas.GenerationRequest", fingerprint))
                .hasMessageContaining("known versions: v1 ")
                .hasMessageContaining("current ");
    }

    @Test
    void aRecordOfAnotherTypeIsAnUnknownFingerprint() {
        byte[] result = WireFormat.of(GenerationResult.class).encode(Records.result());
        assertThatThrownBy(() -> requests.decode(result))
                .isInstanceOf(WireFormatException.class)
                .hasMessageStartingWith("unknown schema fingerprint")
                .hasMessageContaining("it is the fingerprint of io.cogflow.schemas.GenerationResult, a record of another type");
        byte[] request = requests.encode(Records.request());
        assertThatThrownBy(() -> WireFormat.of(DeadLetter.class).decode(request))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("it is the fingerprint of io.cogflow.schemas.GenerationRequest, a record of another type");
    }

    /** A topic full of foreign records must not cost a schema parse each: the names are worked out once. */
    @Test
    void anUnknownFingerprintIsCheapToReject() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        byte[] result = WireFormat.of(GenerationResult.class).encode(Records.result());
        byte[] foreign = result.clone();
        foreign[2] ^= 0x5A;  // a fingerprint of nothing in the contract
        for (byte[] bytes : List.of(result, foreign)) {
            assertThatThrownBy(() -> requests.decode(bytes)).isInstanceOf(WireFormatException.class);  // warm
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100; i++) {
                try {
                    requests.decode(bytes);
                } catch (WireFormatException expected) {
                    // what is measured
                }
            }
            long perRecord = (threads.getCurrentThreadAllocatedBytes() - before) / 100;
            assertThat(perRecord).as("bytes allocated to reject one record").isLessThan(8 * 1024);
        }
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] bytes = requests.encode(Records.request());
        for (int n = 1; n < bytes.length; n++) {
            byte[] cut = Arrays.copyOf(bytes, n);
            String expected = n < 10 ? "truncated header" : "GenerationRequest body";
            assertThatThrownBy(() -> requests.decode(cut))
                    .as("first %d of %d bytes", n, bytes.length)
                    .isInstanceOf(WireFormatException.class)
                    .hasMessageContaining(expected)
                    .hasMessageStartingWith("truncated");
        }
    }

    @Test
    void corruptBodiesAreRejectedAndNothingElseEscapes() {
        byte[] good = requests.encode(Records.request());
        Random random = new Random(7);
        int rejected = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] bytes = good.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                bytes[10 + random.nextInt(bytes.length - 10)] = (byte) random.nextInt(256);
            }
            try {
                requests.decode(bytes);  // some corruptions still form a valid record
            } catch (WireFormatException e) {
                assertThat(e.getMessage()).matches("(truncated|truncated or corrupt|corrupt) GenerationRequest body .*");
                rejected++;
            }
        }
        assertThat(rejected).isGreaterThan(1000);

        byte[] header = Arrays.copyOf(good, 10);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = Arrays.copyOf(header, 10 + random.nextInt(64));
            for (int j = 10; j < bytes.length; j++) {
                bytes[j] = (byte) random.nextInt(256);
            }
            try {
                requests.decode(bytes);
            } catch (WireFormatException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void hugeLengthsAndCountsAreRejectedBeforeAvroAllocatesThem() {
        // Avro would allocate a claimed length up front: a poison record must not cost 1 GiB of heap
        byte[] header = Arrays.copyOf(requests.encode(Records.request()), 10);
        // request_id claims 2^30 bytes (zig-zag varint of 2^30 = 80 80 80 80 08), then the message ends
        byte[] hugeString = concat(header, new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08});
        assertThatThrownBy(() -> requests.decode(hugeString))
                .isInstanceOf(WireFormatException.class)
                .hasMessageEndingWith("request_id: string of 1073741824 bytes at byte 10, only 0 left");

        // a minimal request whose client_metadata map claims 2^30 entries
        GenerationRequest minimal = Records.minimalRequest();
        byte[] good = requests.encode(minimal);
        assertThat(good[good.length - 1]).isZero();  // the empty map: a zero count ends the last field
        byte[] hugeMap = concat(Arrays.copyOf(good, good.length - 1),
                new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 0x02, 'k', 0x02, 'v', 0x00});
        assertThatThrownBy(() -> requests.decode(hugeMap))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("client_metadata: map of 1073741824 entries");

        byte[] negative = concat(header, new byte[] {0x01});  // zig-zag -1
        assertThatThrownBy(() -> requests.decode(negative))
                .isInstanceOf(WireFormatException.class)
                .hasMessageEndingWith("request_id: negative length -1 at byte 10");
    }

    @Test
    void trailingBytesAndBadBranchesAreCorrupt() {
        byte[] good = requests.encode(Records.minimalRequest());
        assertThatThrownBy(() -> requests.decode(concat(good, new byte[] {0x00})))
                .isInstanceOf(WireFormatException.class)
                .hasMessageStartingWith("corrupt GenerationRequest body")
                .hasMessageContaining("1 trailing bytes after the record");

        WireFormat<GenerationProgress> progress = WireFormat.of(GenerationProgress.class);
        byte[] bytes = progress.encode(Records.progress());
        int stage = 10 + 1 + "req-0001".length();  // after the request_id string
        bytes[stage] = 0x0C;  // ordinal 6; Stage has 6 symbols
        assertThatThrownBy(() -> progress.decode(bytes))
                .isInstanceOf(WireFormatException.class)
                .hasMessageEndingWith("stage: enum Stage ordinal 6, it has 6 symbols");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void javaSerializationKeepsItWorking() throws Exception {
        byte[] before = requests.encode(Records.request());  // the transient codec exists now
        WireFormat<GenerationRequest> copy = roundTripSerialization(requests);
        assertThat(copy.type()).isEqualTo(GenerationRequest.class);
        assertThat(copy.decode(before)).isEqualTo(Records.request());
        assertThat(copy.encode(Records.request())).isEqualTo(before);

        WireFormat<DeadLetter> fresh = roundTripSerialization(WireFormat.of(DeadLetter.class));
        assertThat(fresh.decode(fresh.encode(Records.deadLetter()))).isEqualTo(Records.deadLetter());
    }

    @SuppressWarnings("unchecked")
    private static <F> F roundTripSerialization(F object) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
            objects.writeObject(object);
        }
        assertThat(out.size()).isLessThan(1000);  // just the class name, not the Avro machinery
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            return (F) in.readObject();
        }
    }

    @Test
    void isThreadSafe() throws Exception {
        WireFormat<GenerationResult> results = WireFormat.of(GenerationResult.class);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 2000; i++) {
                        GenerationResult r = GenerationResult.newBuilder(Records.result())
                                .setRequestId("req-" + id + "-" + i).build();
                        assertThat(results.decode(results.encode(r))).isEqualTo(r);
                    }
                    return id;
                }));
            }
            for (Future<Integer> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
