package io.cogflow.job;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A record that could not be decoded, with where it came from and why — written to the dead-letter topic. Its raw
 * key and value are kept only up to a prefix ({@code dead_letters.keep_bytes}), with their full size and SHA-256:
 * a record as large as the broker allows must not make a dead letter larger than the sink may write.
 *
 * @param key   the record's key; null when it had none
 * @param value the record's value; null for a tombstone
 */
public record DeadLetterInfo(String topic, int partition, long offset, long timestamp, Raw key, Raw value,
                             String error, String errorClass) {
    /** The longest error text kept: an exception message may quote its input. */
    static final int MAX_ERROR_CHARS = 4096;

    public DeadLetterInfo {
        error = truncate(error == null ? "" : error, MAX_ERROR_CHARS);
        errorClass = truncate(errorClass == null ? "" : errorClass, MAX_ERROR_CHARS);
    }

    /**
     * Raw bytes as far as they are kept.
     *
     * @param kept   the first bytes, at most the keep limit
     * @param size   how many bytes there were
     * @param sha256 of all of them, lower-case hex
     */
    public record Raw(byte[] kept, long size, String sha256) {
        /** {@code bytes} with only its first {@code keep} bytes kept; null for null. */
        static Raw of(byte[] bytes, int keep) {
            if (bytes == null) {
                return null;
            }
            return new Raw(bytes.length <= keep ? bytes : Arrays.copyOf(bytes, keep), bytes.length, hash(bytes));
        }

        boolean truncated() {
            return kept.length < size;
        }
    }

    /** The error text as written: the reason, and for truncated raw bytes their full size and hash. */
    String describedError() {
        return error + describe("key", key) + describe("value", value);
    }

    /** This dead letter without its raw bytes (their sizes and hashes stay in the error text). */
    DeadLetterInfo withoutRawBytes() {
        return new DeadLetterInfo(topic, partition, offset, timestamp, dropped(key), dropped(value), error,
                errorClass);
    }

    private static Raw dropped(Raw r) {
        return r == null ? null : new Raw(new byte[0], r.size(), r.sha256());
    }

    private static String describe(String what, Raw r) {
        return r == null || !r.truncated() ? "" : " [raw " + what + ": " + r.size() + " bytes, sha256 " + r.sha256()
                + ", first " + r.kept().length + " kept]";
    }

    private static String truncate(String s, int chars) {
        return s.length() <= chars ? s : s.substring(0, chars) + "…";
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The dead letter's Kafka key: the record's own key as far as kept, so a reader can still group by it. */
    byte[] kafkaKey() {
        return key == null ? null : key.kept();
    }
}
