package io.cogflow.model.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * sentencepiece's optimised unigram Viterbi ({@code Model::EncodeOptimized}) over normalised UTF-8 bytes. Path
 * scores are summed in float: on exact ties ("000" as "0"+"00" or "00"+"0", runs of "-") only float sums with
 * a strict "better than" reproduce the released sentencepiece 0.2.2 (double sums pick the other path), and
 * candidates are visited in sentencepiece's order (by start, then length), so the earliest wins a tie. A
 * character no piece starts with becomes an unknown of score {@code min_score − 10}, min and max running over
 * normal pieces only; user-defined pieces score {@code length · max_score − 0.1} so they always win. Control,
 * unknown and byte pieces are not in the index (a typed {@code </s>} is plain text); unused pieces are, but are
 * skipped, as in sentencepiece.
 */
final class UnigramViterbi {
    private static final float UNK_PENALTY = 10.0f;

    /** One piece of a segmentation: bytes {@code [start, end)} of the normalised text. */
    record Piece(int id, int start, int end) {
    }

    private final SentencePieceModel model;
    private final PieceTrie trie;
    private final PieceTrie userDefined;
    private final float minScore;
    private final float maxScore;

    UnigramViterbi(SentencePieceModel model) {
        this.model = model;
        PieceTrie trie = new PieceTrie();
        PieceTrie userDefined = new PieceTrie();
        float min = Float.MAX_VALUE;
        float max = Float.MIN_VALUE; // sentencepiece starts from FLT_MIN, the smallest positive float
        for (int id = 0; id < model.size(); id++) {
            PieceType type = model.type(id);
            if (type == PieceType.NORMAL) {
                min = Math.min(min, model.score(id));
                max = Math.max(max, model.score(id));
            }
            if (type == PieceType.NORMAL || type == PieceType.USER_DEFINED || type == PieceType.UNUSED) {
                trie.add(model.piece(id).getBytes(StandardCharsets.UTF_8), id);
            }
            if (type == PieceType.USER_DEFINED) {
                userDefined.add(model.piece(id).getBytes(StandardCharsets.UTF_8), id);
            }
        }
        this.trie = trie.freeze();
        this.userDefined = userDefined.freeze();
        this.minScore = min;
        this.maxScore = max;
    }

    /** User-defined pieces, which the normaliser must keep verbatim; null when the model has none. */
    PieceTrie userDefined() {
        return userDefined.isEmpty() ? null : userDefined;
    }

    /** The best segmentation, consecutive unknowns merged into one piece as sentencepiece reports them. */
    List<Piece> encode(byte[] text) {
        int size = text.length;
        if (size == 0) {
            return List.of();
        }
        float unkScore = minScore - UNK_PENALTY;
        float[] best = new float[size + 1];
        int[] startsAt = new int[size + 1];
        int[] ids = new int[size + 1];
        Arrays.fill(startsAt, -1);
        int unk = model.unkId();
        int pos = 0;
        while (pos < size) {
            float tillHere = best[pos];
            boolean singleChar = false;
            int charLen = Math.min(SpmNormalizer.charLength(text[pos]), size - pos);
            int node = 0;
            for (int end = pos; end < size; ) {
                node = trie.next(node, text[end]);
                end++;
                if (node < 0) {
                    break;
                }
                int id = trie.value(node);
                if (id < 0 || model.type(id) == PieceType.UNUSED) {
                    continue;
                }
                int length = end - pos;
                float score = model.type(id) == PieceType.USER_DEFINED
                        ? (float) ((float) length * maxScore - 0.1)
                        : model.score(id);
                float candidate = score + tillHere;
                if (startsAt[end] == -1 || candidate > best[end]) {
                    best[end] = candidate;
                    startsAt[end] = pos;
                    ids[end] = id;
                }
                if (length == charLen) {
                    singleChar = true;
                }
            }
            if (!singleChar) {
                int end = pos + charLen;
                float candidate = unkScore + tillHere;
                if (startsAt[end] == -1 || candidate > best[end]) {
                    best[end] = candidate;
                    startsAt[end] = pos;
                    ids[end] = unk;
                }
            }
            pos += charLen;
        }
        List<Piece> reversed = new ArrayList<>();
        for (int end = size; end > 0; end = startsAt[end]) {
            Piece p = new Piece(ids[end], startsAt[end], end);
            int last = reversed.size() - 1;
            if (p.id == unk && last >= 0 && reversed.get(last).id == unk) {
                reversed.set(last, new Piece(unk, p.start, reversed.get(last).end));
            } else {
                reversed.add(p);
            }
        }
        List<Piece> pieces = new ArrayList<>(reversed.size());
        for (int i = reversed.size() - 1; i >= 0; i--) {
            pieces.add(reversed.get(i));
        }
        return pieces;
    }
}
