package io.cogflow.model.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * sentencepiece's {@code Normalizer::Normalize} on UTF-8 bytes. At each position the longest user-defined piece
 * wins (kept verbatim), else the longest charsmap rule, else one character unchanged. Whitespace is handled on
 * the normalised output, which matters because rules produce spaces (NBSP, tab, "¨" → " ̈"): leading spaces
 * dropped, runs collapsed to one, the dummy prefix added only to non-empty text, trailing "▁" removed (a typed
 * "▁" too, as sentencepiece does), spaces written as "▁".
 */
final class SpmNormalizer {
    static final byte[] SPACE_SYMBOL = "\u2581".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SPACE = {' '};
    private static final int[] UTF8_LENGTH = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};

    private final CharsMap charsMap;
    private final PieceTrie userDefined;
    private final boolean addDummyPrefix;
    private final boolean removeExtraWhitespaces;
    private final boolean escapeWhitespaces;

    SpmNormalizer(SentencePieceModel.Normalizer spec, PieceTrie userDefined) {
        byte[] charsmap = spec.precompiledCharsmap();
        this.charsMap = charsmap.length == 0 ? null : new CharsMap(charsmap);
        this.userDefined = userDefined;
        this.addDummyPrefix = spec.addDummyPrefix();
        this.removeExtraWhitespaces = spec.removeExtraWhitespaces();
        this.escapeWhitespaces = spec.escapeWhitespaces();
    }

    /** Byte length of the UTF-8 character starting with {@code lead}, as sentencepiece counts it. */
    static int charLength(byte lead) {
        return UTF8_LENGTH[(lead & 0xff) >>> 4];
    }

    byte[] normalize(String text) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        int pos = 0;
        if (removeExtraWhitespaces) {
            while (pos < in.length) {
                Prefix p = prefix(in, pos);
                if (!p.isSingleSpace()) {
                    break;
                }
                pos += p.consumed;
            }
        }
        if (pos >= in.length) {
            return new byte[0];
        }
        Output out = new Output(in.length * 3 + 3);
        byte[] space = escapeWhitespaces ? SPACE_SYMBOL : SPACE;
        if (addDummyPrefix) {
            out.append(space, 0, space.length);
        }
        boolean prevSpace = removeExtraWhitespaces;
        while (pos < in.length) {
            Prefix p = prefix(in, pos);
            int s = p.start;
            int e = p.start + p.length;
            while (prevSpace && s < e && p.bytes[s] == ' ') {
                s++;
            }
            if (s < e) {
                for (int i = s; i < e; i++) {
                    if (escapeWhitespaces && p.bytes[i] == ' ') {
                        out.append(SPACE_SYMBOL, 0, SPACE_SYMBOL.length);
                    } else {
                        out.append(p.bytes[i]);
                    }
                }
                prevSpace = p.bytes[e - 1] == ' ';
            }
            pos += p.consumed;
            if (!removeExtraWhitespaces) {
                prevSpace = false;
            }
        }
        if (removeExtraWhitespaces) {
            while (out.endsWith(space)) {
                out.size -= space.length;
            }
        }
        return out.toArray();
    }

    private record Prefix(byte[] bytes, int start, int length, int consumed) {
        boolean isSingleSpace() {
            return length == 1 && bytes[start] == ' ';
        }
    }

    private Prefix prefix(byte[] in, int pos) {
        if (userDefined != null) {
            int node = 0;
            int longest = 0;
            for (int i = pos; i < in.length && node >= 0; i++) {
                node = userDefined.next(node, in[i]);
                if (node >= 0 && userDefined.value(node) >= 0) {
                    longest = i + 1 - pos;
                }
            }
            if (longest > 0) {
                return new Prefix(in, pos, longest, longest);
            }
        }
        if (charsMap != null) {
            int[] m = charsMap.match(in, pos);
            if (m != null) {
                return new Prefix(charsMap.replacementBytes(), m[1], m[2], m[0]);
            }
        }
        int len = Math.min(charLength(in[pos]), in.length - pos);
        return new Prefix(in, pos, len, len);
    }

    private static final class Output {
        byte[] buf;
        int size;

        Output(int capacity) {
            buf = new byte[capacity];
        }

        void append(byte b) {
            if (size == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2 + 8);
            }
            buf[size++] = b;
        }

        void append(byte[] bytes, int from, int len) {
            for (int i = 0; i < len; i++) {
                append(bytes[from + i]);
            }
        }

        boolean endsWith(byte[] suffix) {
            if (size < suffix.length) {
                return false;
            }
            for (int i = 0; i < suffix.length; i++) {
                if (buf[size - suffix.length + i] != suffix[i]) {
                    return false;
                }
            }
            return true;
        }

        byte[] toArray() {
            return Arrays.copyOf(buf, size);
        }
    }
}
