package io.cogflow.job;

import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.Sampler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutation fuzzing of the requests topic: valid wire-format requests, bit-flipped, truncated, with bytes inserted
 * and with their length fields corrupted, each through the job's own decode and limits. Whatever the bytes, no
 * exception may escape (one would restart-loop the job) and no record may make the job allocate much (a length
 * field saying "2 GB" must not be believed). Deterministic: a failure replays from its iteration number.
 */
class RequestFuzzTest {
    private static final int MUTATIONS = 12_000;
    private static final long MAX_BYTES_PER_RECORD = 1024 * 1024;

    private enum Outcome { DEAD_LETTER, REJECTED, EXPIRED, ACCEPTED }

    @Test
    void mutatedRequestsNeverThrowAndAllocateLittle() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RequestDecoder decoder = Requests.deserializer();
        RequestLimits limits = new RequestLimits(JobConfig.Validation.defaults());
        byte[][] seeds = {
                RequestDecoderTest.WIRE.encode(RequestDecoderTest.request("fuzz-1").build()),
                RequestDecoderTest.WIRE.encode(RequestDecoderTest.request("fuzz-2").setPrompt("a blue square, 😀")
                        .setNegativePrompt("blurry").setSeed(42L).setSampler(Sampler.DPM).setPriority(3)
                        .setDeadline(Instant.ofEpochMilli(4_000_000_000_000L))
                        .setClientMetadata(Map.of("tenant", "acme", "trace", "0af7651916cd43dd")).build())};
        Random random = new Random(20261130);
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        long worst = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] seed = seeds[i % seeds.length];
            byte[] value = mutate(seed, random);
            byte[] key = key(random);
            ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("cogflow.requests", 0, i, key, value);
            long before = threads.getCurrentThreadAllocatedBytes();
            Outcome outcome;
            try {
                outcome = judge(decoder.decode(record), limits);
            } catch (RuntimeException | Error e) {
                throw new AssertionError("mutation " + i + " threw: " + e, e);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated for mutation %d (%d bytes)", i, value.length)
                    .isLessThan(MAX_BYTES_PER_RECORD);
            worst = Math.max(worst, allocated);
            outcomes.merge(outcome, 1, Integer::sum);
        }
        // the mutations reach every path, so the bounds above were tested where they matter
        assertThat(outcomes.keySet()).contains(Outcome.DEAD_LETTER, Outcome.REJECTED, Outcome.ACCEPTED);
        System.out.printf("%d mutations: %s; at most %d bytes allocated for one%n", MUTATIONS, outcomes, worst);
    }

    /** Absent, empty, a seed's id, or random bytes (not UTF-8, too long for an id, …). */
    private static byte[] key(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> null;
            case 1 -> new byte[0];
            case 2 -> "fuzz-1".getBytes(StandardCharsets.UTF_8);
            default -> {
                byte[] k = new byte[random.nextInt(300)];
                random.nextBytes(k);
                yield k;
            }
        };
    }

    /** What the validator would do, short of the model's size check. */
    private static Outcome judge(Incoming in, RequestLimits limits) {
        if (in.deadLetter() != null) {
            assertThat(in.deadLetter().error()).isNotBlank();
            return Outcome.DEAD_LETTER;
        }
        RequestLimits.Rejection r = limits.check(in.request(), in.facts());
        if (r != null) {
            assertThat(r.code()).matches("[A-Z_]+");
            return Outcome.REJECTED;
        }
        in.request().toGeneration();  // what a GPU slot would be handed; must build
        return in.request().expiredAt(System.currentTimeMillis()) ? Outcome.EXPIRED : Outcome.ACCEPTED;
    }

    /** One of: bit flips, a truncation, inserted bytes, a corrupted length (Avro zig-zag varint) field. */
    static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int n = 1 + random.nextInt(8); n > 0; n--) {
                    int bit = random.nextInt(b.length * 8);
                    b[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                return b;
            }
            case 1 -> {
                return Arrays.copyOf(b, random.nextInt(b.length));
            }
            case 2 -> {
                byte[] inserted = new byte[1 + random.nextInt(32)];
                random.nextBytes(inserted);
                return splice(b, random.nextInt(b.length + 1), 0, inserted);
            }
            default -> {
                // a length field: where a string or map block starts in the body (the first field, request_id,
                // starts right after the 10-byte header), or anywhere in the body; its new value huge or negative
                int at = random.nextInt(3) == 0 ? 10 : 10 + random.nextInt(b.length - 10);
                long length = switch (random.nextInt(4)) {
                    case 0 -> Integer.MAX_VALUE;
                    case 1 -> -1 - random.nextInt(1000);
                    case 2 -> Long.MAX_VALUE >> random.nextInt(40);
                    default -> random.nextInt(1 << 20);
                };
                byte[] varint = HostileCorpus.varint(length);
                int replaced = Math.min(b.length - at, 1 + random.nextInt(3));
                return splice(b, at, replaced, varint);
            }
        }
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    @Test
    void theMutatorProducesEachKind() {
        byte[] seed = RequestDecoderTest.WIRE.encode(RequestDecoderTest.request("fuzz-1").build());
        Random random = new Random(1);
        boolean shorter = false;
        boolean longer = false;
        boolean sameLengthChanged = false;
        for (int i = 0; i < 200; i++) {
            byte[] m = mutate(seed, random);
            shorter |= m.length < seed.length;
            longer |= m.length > seed.length;
            sameLengthChanged |= m.length == seed.length && !Arrays.equals(m, seed);
        }
        assertThat(shorter && longer && sameLengthChanged).isTrue();
        assertThat(HostileCorpus.varint(-1)).containsExactly(1);
        assertThat(HostileCorpus.varint(64)).containsExactly(0x80, 0x01);
    }
}
