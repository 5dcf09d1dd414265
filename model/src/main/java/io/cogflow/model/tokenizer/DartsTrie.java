package io.cogflow.model.tokenizer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Read-only darts-clone double-array trie, the index inside a SentencePiece precompiled charsmap. Each unit is a
 * little-endian uint32; the bit layout (leaf flag, label, offset, value) and the walk are darts-clone's
 * {@code commonPrefixSearch}, so the same bytes give the same matches as in sentencepiece.
 */
final class DartsTrie {
    private final int[] units;

    DartsTrie(byte[] blob, int start, int length) {
        if (length % 4 != 0 || length == 0) {
            throw new IllegalArgumentException("double-array trie of " + length + " bytes is not a whole number of units");
        }
        units = new int[length / 4];
        ByteBuffer.wrap(blob, start, length).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(units);
    }

    /**
     * The longest key that is a prefix of {@code key[from..to)}: returns {@code (length << 32) | value}, or -1
     * when no key matches. sentencepiece keeps the longest of all prefix matches; so do we.
     */
    long longestPrefix(byte[] key, int from, int to) {
        long best = -1;
        int nodePos = offset(units[0]);
        for (int i = from; i < to; i++) {
            int label = key[i] & 0xff;
            nodePos ^= label;
            if (nodePos < 0 || nodePos >= units.length) {
                return best;
            }
            int unit = units[nodePos];
            if ((unit & 0x800000ff) != label) {
                return best;
            }
            nodePos ^= offset(unit);
            if (((unit >>> 8) & 1) == 1) {
                if (nodePos < 0 || nodePos >= units.length) {
                    return best;
                }
                int value = units[nodePos] & 0x7fffffff;
                best = ((long) (i + 1 - from) << 32) | value;
            }
        }
        return best;
    }

    private static int offset(int unit) {
        return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    }
}
