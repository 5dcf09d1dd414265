package io.cogflow.schemas;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Single-object Avro encoding of one record type, reading every known version of its schema. Thread-safe,
 * Serializable (Flink ships it to tasks).
 *
 * <p>A message is {@code C3 01}, the 8-byte little-endian CRC-64-AVRO fingerprint of the writer's schema (of its
 * Parsing Canonical Form), then the Avro binary body (docs/wire-format.md). {@link #encode} always writes the
 * current schema, the one compiled into {@code T}. {@link #decode} reads the current schema and every historical
 * version shipped as a resource {@code io/cogflow/schemas/history/<SimpleName>-v<N>.avsc} (N = 1, 2, … without
 * gaps), resolving each to the current schema: fields the writer lacked take their defaults, fields the reader
 * lacks are skipped.
 *
 * <p>Only the {@code Class} is serialized; the Avro encoder and decoder (not Serializable) are rebuilt lazily.
 */
public final class WireFormat<T extends SpecificRecord> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The two marker bytes that start every single-object encoded message. */
    static final byte MARKER_0 = (byte) 0xC3;
    static final byte MARKER_1 = (byte) 0x01;
    /** Marker plus fingerprint. */
    static final int HEADER_LENGTH = 10;

    static final String HISTORY = "io/cogflow/schemas/history/";

    /** The top-level records of the contract; used to name the type behind a fingerprint of another type. */
    private static final List<Class<? extends SpecificRecord>> CONTRACT =
            List.of(GenerationRequest.class, GenerationResult.class, GenerationProgress.class, DeadLetter.class);

    private final Class<T> type;
    private transient volatile Codec<T> codec;

    private WireFormat(Class<T> type) {
        this.type = type;
    }

    /**
     * The wire format of a generated record class: its current schema plus the historical versions on the class
     * path. Fails fast ({@link IllegalArgumentException}) when a historical schema is not a version of this record
     * or cannot be read by the current one.
     */
    public static <T extends SpecificRecord> WireFormat<T> of(Class<T> type) {
        WireFormat<T> format = new WireFormat<>(Objects.requireNonNull(type, "type"));
        format.codec();  // validate now rather than in the first task
        return format;
    }

    /** The record type. */
    public Class<T> type() {
        return type;
    }

    /** The current schema: what {@link #encode} writes. */
    public Schema schema() {
        return codec().schema;
    }

    /** Every schema version {@link #decode} reads, by fingerprint, oldest first; the current one last. */
    public Map<Long, Schema> readableSchemas() {
        return codec().versions;
    }

    /** The record as one single-object encoded message, written with the current schema. */
    public byte[] encode(T record) {
        Objects.requireNonNull(record, "record");
        try {
            ByteBuffer buffer = codec().encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            // in-memory; thrown only when the record violates its schema (e.g. a required field left null)
            throw new UncheckedIOException("cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The record in a single-object encoded message written with any known version of the schema.
     *
     * @throws WireFormatException for anything but such a message (null or empty, no {@code C3 01} marker, an
     *     unknown schema fingerprint, a truncated or corrupt body); its message says which
     */
    public T decode(byte[] bytes) throws WireFormatException {
        String name = type.getSimpleName();
        if (bytes == null) {
            throw new WireFormatException("no value (null) where a " + name + " was expected");
        }
        if (bytes.length == 0) {
            throw new WireFormatException("empty value where a " + name + " was expected");
        }
        if (bytes[0] != MARKER_0 || (bytes.length > 1 && bytes[1] != MARKER_1)) {
            throw new WireFormatException(String.format(
                    "not Avro single-object encoding: starts with %s, expected the marker C3 01 (%d bytes)",
                    hex(bytes, Math.min(bytes.length, 4)), bytes.length));
        }
        if (bytes.length < HEADER_LENGTH) {
            throw new WireFormatException(String.format(
                    "truncated header: %d bytes, a single-object message has at least %d (marker + fingerprint)",
                    bytes.length, HEADER_LENGTH));
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Codec<T> c = codec();
        if (!c.versions.containsKey(fingerprint)) {
            throw new WireFormatException(unknownFingerprint(fingerprint, c));
        }
        BodyCheck.Problem problem = BodyCheck.check(c.versions.get(fingerprint), bytes, HEADER_LENGTH);
        if (problem != null) {
            throw new WireFormatException(String.format("%s %s body (%d bytes, schema %s): %s",
                    problem.kind, name, bytes.length, c.describe(fingerprint),
                    problem.getMessage()));
        }
        try {
            return c.decoder.decode(bytes);
        } catch (IOException | RuntimeException e) {
            // BodyCheck has vetted the body, so this is a backstop: Avro wraps an EOFException in "Decoding datum
            // failed"; other garbage shows up as AvroRuntimeException or the odd IndexOutOfBounds
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                if (root instanceof EOFException) {
                    break;
                }
                root = root.getCause();
            }
            throw new WireFormatException(String.format("%s %s body (%d bytes, schema %s): %s",
                    root instanceof EOFException ? "truncated" : "corrupt", name, bytes.length,
                    c.describe(fingerprint), root), e);
        }
    }

    /** CRC-64-AVRO fingerprint of the schema's Parsing Canonical Form, as in a single-object message header. */
    public static long fingerprint(Schema s) {
        return SchemaNormalization.parsingFingerprint64(s);
    }

    @Override
    public String toString() {
        return "WireFormat[" + type.getName() + "]";
    }

    private String unknownFingerprint(long fingerprint, Codec<T> c) {
        String other = c.otherTypes.get(fingerprint);
        if (other != null) {
            return String.format("unknown schema fingerprint %016x for %s: it is the fingerprint of %s, a record of "
                    + "another type", fingerprint, type.getName(), other);
        }
        return String.format("unknown schema fingerprint %016x for %s (written with a newer or foreign schema; "
                + "known versions: %s)", fingerprint, type.getName(), c.knownVersions);
    }

    /**
     * The fingerprints of the contract's other record types, every version, with their names: computed once per
     * codec, since every record with an unknown fingerprint asks (parsing the history anew cost ~50 KB each).
     */
    private static Map<Long, String> otherTypes(Class<?> type) {
        Map<Long, String> others = new LinkedHashMap<>();
        for (Class<? extends SpecificRecord> other : CONTRACT) {
            if (other == type) {
                continue;
            }
            List<Schema> history = history(other);
            for (int v = 0; v < history.size(); v++) {
                others.putIfAbsent(fingerprint(history.get(v)), other.getName() + " (v" + (v + 1) + ")");
            }
            // the current version last, so its plain name wins over a history file equal to it
            others.put(fingerprint(SpecificData.getForClass(other).getSchema(other)), other.getName());
        }
        return Collections.unmodifiableMap(others);
    }

    private Codec<T> codec() {
        Codec<T> c = codec;
        if (c == null) {
            synchronized (this) {
                c = codec;
                if (c == null) {
                    c = new Codec<>(type);
                    codec = c;
                }
            }
        }
        return c;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
            throw new java.io.InvalidObjectException("not a SpecificRecord class: " + type);
        }
    }

    /** The historical schemas of a record type, v1 first. */
    static List<Schema> history(Class<?> type) {
        List<Schema> versions = new ArrayList<>();
        ClassLoader loader = type.getClassLoader();
        for (int v = 1; ; v++) {
            String resource = HISTORY + type.getSimpleName() + "-v" + v + ".avsc";
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot read the schema history " + resource + ": " + e.getMessage(), e);
            }
        }
    }

    private static String hex(byte[] bytes, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : " ").append(String.format("%02X", bytes[i]));
        }
        return s.toString();
    }

    /** The Avro machinery of one type; BinaryMessageEncoder and BinaryMessageDecoder are thread-safe. */
    private static final class Codec<T> {
        final Schema schema;
        final Map<Long, Schema> versions;
        final Map<Long, String> labels;
        final BinaryMessageEncoder<T> encoder;
        final BinaryMessageDecoder<T> decoder;
        /** Fingerprints of other record types of the contract, named; and this type's versions, described. */
        final Map<Long, String> otherTypes;
        final String knownVersions;

        Codec(Class<T> type) {
            SpecificData model = SpecificData.getForClass(type);  // the class's MODEL$, with its logical-type conversions
            schema = model.getSchema(type);
            if (schema == null || schema.getType() != Schema.Type.RECORD) {
                throw new IllegalArgumentException("not a generated Avro record class: " + type.getName());
            }
            Map<Long, Schema> all = new LinkedHashMap<>();
            Map<Long, String> names = new LinkedHashMap<>();
            SchemaStore.Cache store = new SchemaStore.Cache();
            List<Schema> history = history(type);
            for (int v = 0; v < history.size(); v++) {
                Schema old = history.get(v);
                String label = "v" + (v + 1);
                if (!old.getFullName().equals(schema.getFullName())) {
                    throw new IllegalArgumentException(String.format("schema history %s of %s is a %s",
                            label, schema.getFullName(), old.getFullName()));
                }
                SchemaCompatibility.SchemaPairCompatibility compatibility =
                        SchemaCompatibility.checkReaderWriterCompatibility(schema, old);
                if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    throw new IllegalArgumentException(String.format(
                            "the current schema of %s cannot read its history %s: %s", schema.getFullName(), label,
                            compatibility.getDescription()));
                }
                long fp = fingerprint(old);
                if (!all.containsKey(fp)) {
                    all.put(fp, old);
                    names.put(fp, label);
                    store.addSchema(old);
                }
            }
            long current = fingerprint(schema);
            all.remove(current);  // a history file equal to the current schema (e.g. only docs changed)
            names.remove(current);
            all.put(current, schema);
            names.put(current, "current");
            versions = Collections.unmodifiableMap(all);
            labels = names;
            encoder = new BinaryMessageEncoder<>(model, schema);
            decoder = new BinaryMessageDecoder<>(model, schema, store);
            otherTypes = WireFormat.otherTypes(type);
            List<String> known = new ArrayList<>();
            versions.keySet().forEach(fp -> known.add(describe(fp)));
            knownVersions = String.join(", ", known);
        }

        String describe(long fingerprint) {
            return String.format("%s %016x", labels.getOrDefault(fingerprint, "?"), fingerprint);
        }
    }
}
