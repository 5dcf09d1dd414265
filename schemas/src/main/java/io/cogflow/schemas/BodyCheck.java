package io.cogflow.schemas;

import org.apache.avro.Schema;

/**
 * Walks an Avro binary body against its writer schema without allocating anything, before Avro decodes it.
 *
 * <p>Avro's decoder trusts the lengths and counts in the data: a corrupt or hostile length prefix of a string,
 * bytes, map or array makes it allocate that many bytes or slots up front (up to 2 GiB) before it notices the
 * message is shorter — one poison record could take down a task manager with an OutOfMemoryError. This check
 * rejects any length or count larger than the bytes left, and also bad union branches, enum ordinals, booleans,
 * over-long varints and trailing bytes, so {@link WireFormat#decode} can name the field that is wrong.
 */
final class BodyCheck {
    private final byte[] bytes;
    private final int end;
    private int pos;

    private BodyCheck(byte[] bytes, int offset) {
        this.bytes = bytes;
        this.pos = offset;
        this.end = bytes.length;
    }

    /** Null when {@code bytes[offset..]} is exactly one well-formed value of the writer schema, else why not. */
    static Problem check(Schema writer, byte[] bytes, int offset) {
        BodyCheck check = new BodyCheck(bytes, offset);
        try {
            check.value(writer, "");
        } catch (Problem p) {
            return p;
        }
        if (check.pos != check.end) {
            return new Problem(CORRUPT, String.format("%d trailing bytes after the record (it ends at byte %d of %d)",
                    check.end - check.pos, check.pos, check.end));
        }
        return null;
    }

    /**
     * Why a body is malformed; {@code kind} is "truncated", "truncated or corrupt" (a length or count larger than
     * the rest of the message) or "corrupt".
     */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;
        final String kind;

        Problem(String kind, String reason) {
            super(reason, null, false, false);
            this.kind = kind;
        }
    }

    private static final String TRUNCATED = "truncated";
    private static final String OVERRUN = "truncated or corrupt";
    private static final String CORRUPT = "corrupt";

    private void value(Schema s, String path) throws Problem {
        switch (s.getType()) {
            case NULL:
                return;
            case BOOLEAN: {
                need(1, path);
                int b = bytes[pos];
                if (b != 0 && b != 1) {
                    throw bad(path, String.format("boolean byte %02X", b & 0xFF));
                }
                pos++;
                return;
            }
            case INT:
                varint(path, 5);
                return;
            case LONG:
                varint(path, 10);
                return;
            case FLOAT:
                need(4, path);
                pos += 4;
                return;
            case DOUBLE:
                need(8, path);
                pos += 8;
                return;
            case FIXED:
                need(s.getFixedSize(), path);
                pos += s.getFixedSize();
                return;
            case STRING:
            case BYTES: {
                int at = pos;
                long length = varint(path, 10);
                if (length < 0) {
                    throw bad(path, "negative length " + length + " at byte " + at);
                }
                if (length > end - pos) {
                    throw new Problem(OVERRUN, String.format("%s: %s of %d bytes at byte %d, only %d left", where(path),
                            s.getType().getName(), length, at, end - pos));
                }
                pos += (int) length;
                return;
            }
            case ENUM: {
                long ordinal = varint(path, 5);
                if (ordinal < 0 || ordinal >= s.getEnumSymbols().size()) {
                    throw bad(path, String.format("enum %s ordinal %d, it has %d symbols", s.getName(), ordinal,
                            s.getEnumSymbols().size()));
                }
                return;
            }
            case UNION: {
                long branch = varint(path, 10);
                if (branch < 0 || branch >= s.getTypes().size()) {
                    throw bad(path, String.format("union branch %d, it has %d", branch, s.getTypes().size()));
                }
                value(s.getTypes().get((int) branch), path);
                return;
            }
            case RECORD:
                for (Schema.Field field : s.getFields()) {
                    value(field.schema(), path.isEmpty() ? field.name() : path + "." + field.name());
                }
                return;
            case ARRAY:
            case MAP: {
                boolean map = s.getType() == Schema.Type.MAP;
                Schema items = map ? s.getValueType() : s.getElementType();
                while (true) {
                    int at = pos;
                    long count = varint(path, 10);
                    if (count == 0) {
                        return;
                    }
                    if (count < 0) {  // a block with its size in bytes
                        count = -count;
                        long size = varint(path, 10);
                        if (size < 0 || size > end - pos) {
                            throw new Problem(size >= 0 ? OVERRUN : CORRUPT, String.format(
                                    "%s: block of %d bytes at byte %d, only %d left", where(path), size, at, end - pos));
                        }
                    }
                    // every map entry and every array item of this contract takes at least one byte
                    if (count < 0 || count > end - pos) {
                        throw new Problem(count > 0 ? OVERRUN : CORRUPT, String.format(
                                "%s: %s of %d entries at byte %d, only %d bytes left", where(path),
                                s.getType().getName(), count, at, end - pos));
                    }
                    for (long i = 0; i < count; i++) {
                        if (map) {
                            value(Schema.create(Schema.Type.STRING), path + "{key}");
                        }
                        value(items, path + (map ? "{value}" : "[]"));
                    }
                }
            }
            default:
                throw bad(path, "unsupported type " + s.getType());
        }
    }

    /** A zig-zag varint of at most {@code maxBytes} bytes. */
    private long varint(String path, int maxBytes) throws Problem {
        int at = pos;
        long raw = 0;
        for (int i = 0; ; i++) {
            if (pos >= end) {
                throw truncated(path);
            }
            if (i == maxBytes) {
                throw bad(path, "over-long varint at byte " + at);
            }
            int b = bytes[pos++] & 0xFF;
            raw |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
    }

    private void need(int n, String path) throws Problem {
        if (end - pos < n) {
            throw truncated(path);
        }
    }

    private Problem truncated(String path) {
        return new Problem(TRUNCATED, String.format("%s: the message ends at byte %d", where(path), end));
    }

    private Problem bad(String path, String what) {
        return new Problem(CORRUPT, where(path) + ": " + what);
    }

    private static String where(String path) {
        return path.isEmpty() ? "record" : path;
    }
}
