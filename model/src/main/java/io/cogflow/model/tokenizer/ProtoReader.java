package io.cogflow.model.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * Just enough of the protobuf wire format to read a SentencePiece {@code ModelProto} without a protobuf runtime:
 * varints, 32/64-bit fixed values and length-delimited fields. Any inconsistency (a length past the end, a
 * varint longer than ten bytes, an unknown wire type) throws {@link MalformedException}, so a truncated or
 * non-protobuf file fails loudly instead of yielding a half-read vocabulary.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    private final byte[] data;
    private final int end;
    private int pos;
    private int wireType = -1;

    ProtoReader(byte[] data) {
        this(data, 0, data.length);
    }

    private ProtoReader(byte[] data, int start, int end) {
        this.data = data;
        this.pos = start;
        this.end = end;
    }

    boolean hasNext() {
        return pos < end;
    }

    /** Reads the next field key and returns its field number; {@link #wireType()} tells how to read the value. */
    int nextField() throws MalformedException {
        long key = varint();
        int field = (int) (key >>> 3);
        wireType = (int) (key & 7);
        if (field <= 0) {
            throw new MalformedException("invalid field number " + field + " at byte " + pos);
        }
        return field;
    }

    int wireType() {
        return wireType;
    }

    long varint() throws MalformedException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new MalformedException("truncated varint at byte " + pos);
            }
            byte b = data[pos++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new MalformedException("varint longer than 10 bytes at byte " + pos);
    }

    int int32() throws MalformedException {
        expect(VARINT);
        return (int) varint();
    }

    boolean bool() throws MalformedException {
        expect(VARINT);
        return varint() != 0;
    }

    float float32() throws MalformedException {
        expect(FIXED32);
        need(4);
        int bits = (data[pos] & 0xff) | (data[pos + 1] & 0xff) << 8 | (data[pos + 2] & 0xff) << 16
                | (data[pos + 3] & 0xff) << 24;
        pos += 4;
        return Float.intBitsToFloat(bits);
    }

    byte[] bytes() throws MalformedException {
        int len = length();
        byte[] out = new byte[len];
        System.arraycopy(data, pos, out, 0, len);
        pos += len;
        return out;
    }

    String string() throws MalformedException {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** A reader over an embedded message; this reader moves past it. */
    ProtoReader message() throws MalformedException {
        int len = length();
        ProtoReader sub = new ProtoReader(data, pos, pos + len);
        pos += len;
        return sub;
    }

    void skip() throws MalformedException {
        switch (wireType) {
            case VARINT -> varint();
            case FIXED64 -> {
                need(8);
                pos += 8;
            }
            case LENGTH_DELIMITED -> {
                int len = length(); // not "pos += length()": that would add to the pre-call position
                pos += len;
            }
            case FIXED32 -> {
                need(4);
                pos += 4;
            }
            default -> throw new MalformedException("unsupported wire type " + wireType + " at byte " + pos);
        }
    }

    private int length() throws MalformedException {
        expect(LENGTH_DELIMITED);
        long len = varint();
        if (len < 0 || len > end - pos) {
            throw new MalformedException("length " + len + " runs past the end at byte " + pos);
        }
        return (int) len;
    }

    private void expect(int type) throws MalformedException {
        if (wireType != type) {
            throw new MalformedException("wire type " + wireType + " where " + type + " was expected, byte " + pos);
        }
    }

    private void need(int n) throws MalformedException {
        if (end - pos < n) {
            throw new MalformedException("truncated value at byte " + pos);
        }
    }
}
