package io.cogflow.model.tokenizer;

/**
 * A precompiled charsmap ({@code NormalizerSpec.precompiled_charsmap}): a uint32 little-endian trie size, a
 * darts-clone trie over the UTF-8 of source sequences, then the NUL-terminated replacement strings the trie's
 * values point into. This is how nmt_nfkc, nfkc_cf and custom rules all reach the model.
 */
final class CharsMap {
    private final DartsTrie trie;
    private final byte[] blob;
    private final int normalizedStart;

    CharsMap(byte[] blob) {
        if (blob.length < 4) {
            throw new IllegalArgumentException("precompiled charsmap of " + blob.length + " bytes");
        }
        long trieSize = (blob[0] & 0xffL) | (blob[1] & 0xffL) << 8 | (blob[2] & 0xffL) << 16 | (blob[3] & 0xffL) << 24;
        if (trieSize > blob.length - 4L) {
            throw new IllegalArgumentException("precompiled charsmap trie size " + trieSize + " exceeds its "
                    + (blob.length - 4) + " bytes");
        }
        this.blob = blob;
        this.trie = new DartsTrie(blob, 4, (int) trieSize);
        this.normalizedStart = 4 + (int) trieSize;
    }

    /**
     * The longest rule matching at {@code input[pos..]}, or null: {@code [consumed, start, length]} where the
     * replacement is {@code replacementBytes()[start .. start + length)}.
     */
    int[] match(byte[] input, int pos) {
        long m = trie.longestPrefix(input, pos, input.length);
        if (m < 0) {
            return null;
        }
        int start = normalizedStart + (int) m;
        if (start >= blob.length) {
            throw new IllegalArgumentException("precompiled charsmap points past its end");
        }
        int end = start;
        while (end < blob.length && blob[end] != 0) {
            end++;
        }
        return new int[] {(int) (m >>> 32), start, end - start};
    }

    byte[] replacementBytes() {
        return blob;
    }
}
