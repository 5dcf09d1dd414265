package io.cogflow.model.tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The T5 text-encoder tokenizer: SentencePiece unigram encoding of a {@code spiece.model}, identical to the
 * sentencepiece library (see docs/tokenizer.md), then the T5 input convention: truncate, EOS, pad. Pure Java,
 * immutable, safe to share between threads.
 */
public final class T5Tokenizer {
    public static final String MODEL_FILE = "spiece.model";
    /** CogVideoX's text length. */
    public static final int COGVIDEOX_MAX_LENGTH = 226;

    private final SentencePieceModel model;
    private final SentencePieceEncoder encoder;

    private T5Tokenizer(SentencePieceModel model) {
        this.model = model;
        this.encoder = new SentencePieceEncoder(model);
    }

    /**
     * Loads a {@code spiece.model} file, or a folder holding one directly or in {@code tokenizer/} (the layout of
     * a CogVideoX checkpoint).
     *
     * @throws TokenizerException (an {@link IllegalArgumentException}) naming the file when it is missing,
     *                            corrupt or uses a SentencePiece feature this class does not reproduce
     */
    public static T5Tokenizer load(Path spieceModelOrTokenizerDir) {
        return of(SentencePieceModel.read(locate(spieceModelOrTokenizerDir)));
    }

    public static T5Tokenizer of(SentencePieceModel model) {
        return new T5Tokenizer(model);
    }

    static Path locate(Path path) {
        if (!Files.isDirectory(path)) {
            return path;
        }
        for (Path candidate : List.of(path.resolve(MODEL_FILE), path.resolve("tokenizer").resolve(MODEL_FILE))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new TokenizerException(path + ": no " + MODEL_FILE + " in this folder or its tokenizer/ folder");
    }

    /** The SentencePiece ids of {@code text}, without EOS, never truncated. */
    public int[] ids(String text) {
        return encoder.ids(requireText(text));
    }

    /** The pieces of {@code text} as sentencepiece reports them; an unknown run is its normalised text. */
    public List<String> pieces(String text) {
        return encoder.pieces(requireText(text));
    }

    /**
     * The T5 encoder input: the ids truncated to {@code maxLength − 1}, then EOS, then padding up to
     * {@code maxLength}. Long texts are truncated, never rejected.
     */
    public long[] encode(String text, int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be at least 1 (room for EOS), got " + maxLength);
        }
        int[] ids = ids(text);
        int n = Math.min(ids.length, maxLength - 1);
        long[] out = new long[maxLength];
        for (int i = 0; i < n; i++) {
            out[i] = ids[i];
        }
        out[n] = model.eosId();
        Arrays.fill(out, n + 1, maxLength, model.padId());
        return out;
    }

    /** {@link #encode} for each text: a [texts, maxLength] batch. */
    public long[][] encodeBatch(List<String> texts, int maxLength) {
        long[][] out = new long[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = encode(texts.get(i), maxLength);
        }
        return out;
    }

    private static String requireText(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text is null");
        }
        return text;
    }

    public int vocabSize() {
        return model.size();
    }

    public int eosId() {
        return model.eosId();
    }

    public int padId() {
        return model.padId();
    }

    public int unkId() {
        return model.unkId();
    }

    public SentencePieceModel model() {
        return model;
    }
}
