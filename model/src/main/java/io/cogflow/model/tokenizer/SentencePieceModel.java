package io.cogflow.model.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A parsed SentencePiece {@code spiece.model} ({@code ModelProto} of {@code sentencepiece_model.proto}): the
 * pieces with their scores and types, the trainer settings that change encoding, and the normaliser spec.
 * Fields that do not affect encoding (training inputs, self-test data, the denormaliser) are skipped.
 */
public final class SentencePieceModel {
    /** {@code TrainerSpec.ModelType}. */
    public enum ModelType { UNIGRAM, BPE, WORD, CHAR }

    /**
     * {@code NormalizerSpec}; an empty {@code precompiledCharsmap} means no character mapping (e.g. "identity").
     */
    public record Normalizer(String name, byte[] precompiledCharsmap, boolean addDummyPrefix,
                             boolean removeExtraWhitespaces, boolean escapeWhitespaces) {
        static final Normalizer DEFAULT = new Normalizer("", new byte[0], true, true, true);

        /** A copy: the model stays immutable. */
        @Override
        public byte[] precompiledCharsmap() {
            return precompiledCharsmap.clone();
        }
    }

    private final String source;
    private final List<String> pieces;
    private final float[] scores;
    private final PieceType[] types;
    private final ModelType modelType;
    private final boolean byteFallback;
    private final boolean treatWhitespaceAsSuffix;
    private final int unkId;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final Normalizer normalizer;

    private SentencePieceModel(String source, List<String> pieces, float[] scores, PieceType[] types,
                               TrainerSpec trainer, Normalizer normalizer) {
        this.source = source;
        this.pieces = Collections.unmodifiableList(pieces);
        this.scores = scores;
        this.types = types;
        this.modelType = trainer.modelType;
        this.byteFallback = trainer.byteFallback;
        this.treatWhitespaceAsSuffix = trainer.treatWhitespaceAsSuffix;
        this.normalizer = normalizer;
        this.unkId = resolveUnk(trainer.unkId);
        this.eosId = resolve(trainer.eosId, "</s>", "eos_id", -1);
        this.padId = resolve(trainer.padId, "<pad>", "pad_id", 0);
        this.bosId = resolve(trainer.bosId, "<s>", "bos_id", -1);
        if (eosId < 0) {
            throw new TokenizerException(source + ": the model has no EOS piece (trainer_spec.eos_id and no </s>)");
        }
    }

    public static SentencePieceModel read(Path file) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TokenizerException(file + ": no such file");
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read SentencePiece model: " + e.getMessage(), e);
        }
        return parse(data, file.toString());
    }

    /** Parses serialized {@code ModelProto} bytes; {@code source} names the data in error messages. */
    public static SentencePieceModel parse(byte[] data, String source) {
        try {
            return parseProto(data, source);
        } catch (ProtoReader.MalformedException | IllegalArgumentException e) {
            if (e instanceof TokenizerException te) {
                throw te;
            }
            throw new TokenizerException(source + ": not a SentencePiece model (" + e.getMessage() + ")", e);
        }
    }

    private static SentencePieceModel parseProto(byte[] data, String source) throws ProtoReader.MalformedException {
        List<String> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        List<PieceType> types = new ArrayList<>();
        TrainerSpec trainer = new TrainerSpec();
        Normalizer normalizer = Normalizer.DEFAULT;
        ProtoReader r = new ProtoReader(data);
        while (r.hasNext()) {
            switch (r.nextField()) {
                case 1 -> readPiece(r.message(), pieces, scores, types);
                case 2 -> trainer.read(r.message());
                case 3 -> normalizer = readNormalizer(r.message());
                default -> r.skip();
            }
        }
        if (pieces.isEmpty()) {
            throw new TokenizerException(source + ": not a SentencePiece model (no pieces)");
        }
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
        }
        return new SentencePieceModel(source, pieces, s, types.toArray(PieceType[]::new), trainer, normalizer);
    }

    private static void readPiece(ProtoReader r, List<String> pieces, List<Float> scores, List<PieceType> types)
            throws ProtoReader.MalformedException {
        String piece = null;
        float score = 0f;
        PieceType type = PieceType.NORMAL;
        while (r.hasNext()) {
            switch (r.nextField()) {
                case 1 -> piece = r.string();
                case 2 -> score = r.float32();
                case 3 -> type = PieceType.of(r.int32());
                default -> r.skip();
            }
        }
        if (piece == null || piece.isEmpty()) {
            throw new IllegalArgumentException("piece " + pieces.size() + " is empty");
        }
        pieces.add(piece);
        scores.add(score);
        types.add(type);
    }

    private static Normalizer readNormalizer(ProtoReader r) throws ProtoReader.MalformedException {
        String name = "";
        byte[] charsmap = new byte[0];
        boolean dummyPrefix = true;
        boolean removeExtra = true;
        boolean escape = true;
        while (r.hasNext()) {
            switch (r.nextField()) {
                case 1 -> name = r.string();
                case 2 -> charsmap = r.bytes();
                case 3 -> dummyPrefix = r.bool();
                case 4 -> removeExtra = r.bool();
                case 5 -> escape = r.bool();
                default -> r.skip();
            }
        }
        return new Normalizer(name, charsmap, dummyPrefix, removeExtra, escape);
    }

    /** The encoding-relevant part of {@code TrainerSpec}; {@code null} ids were not in the file. */
    private static final class TrainerSpec {
        ModelType modelType = ModelType.UNIGRAM;
        boolean byteFallback;
        boolean treatWhitespaceAsSuffix;
        Integer unkId;
        Integer bosId;
        Integer eosId;
        Integer padId;

        void read(ProtoReader r) throws ProtoReader.MalformedException {
            while (r.hasNext()) {
                switch (r.nextField()) {
                    case 3 -> {
                        int t = r.int32();
                        if (t < 1 || t > ModelType.values().length) {
                            throw new IllegalArgumentException("unknown model_type " + t);
                        }
                        modelType = ModelType.values()[t - 1];
                    }
                    case 24 -> treatWhitespaceAsSuffix = r.bool();
                    case 35 -> byteFallback = r.bool();
                    case 40 -> unkId = r.int32();
                    case 41 -> bosId = r.int32();
                    case 42 -> eosId = r.int32();
                    case 43 -> padId = r.int32();
                    default -> r.skip();
                }
            }
        }
    }

    private int resolveUnk(Integer declared) {
        int id = declared != null ? declared : -1;
        if (id < 0) {
            for (int i = 0; i < types.length && id < 0; i++) {
                if (types[i] == PieceType.UNKNOWN) {
                    id = i;
                }
            }
        }
        if (id < 0 || id >= pieces.size()) {
            throw new TokenizerException(source + ": no unknown piece (unk_id " + id + ", vocab " + pieces.size()
                    + ")");
        }
        if (types[id] != PieceType.UNKNOWN) {
            throw new TokenizerException(source + ": unk_id " + id + " is '" + pieces.get(id) + "' of type "
                    + types[id] + ", not UNKNOWN");
        }
        return id;
    }

    /** The trainer's id when set and enabled, else the conventional piece, else {@code fallback}. */
    private int resolve(Integer declared, String conventionalPiece, String field, int fallback) {
        if (declared != null && declared >= 0) {
            if (declared >= pieces.size()) {
                throw new TokenizerException(source + ": " + field + " " + declared + " is outside the vocabulary of "
                        + pieces.size());
            }
            return declared;
        }
        int byName = pieces.indexOf(conventionalPiece);
        return byName >= 0 ? byName : fallback;
    }

    public String source() {
        return source;
    }

    public int size() {
        return pieces.size();
    }

    public List<String> pieces() {
        return pieces;
    }

    public String piece(int id) {
        return pieces.get(id);
    }

    public float score(int id) {
        return scores[id];
    }

    public PieceType type(int id) {
        return types[id];
    }

    public ModelType modelType() {
        return modelType;
    }

    public boolean byteFallback() {
        return byteFallback;
    }

    public boolean treatWhitespaceAsSuffix() {
        return treatWhitespaceAsSuffix;
    }

    public int unkId() {
        return unkId;
    }

    /** -1 when the model has no BOS (T5 does not use one). */
    public int bosId() {
        return bosId;
    }

    public int eosId() {
        return eosId;
    }

    /** The padding id; 0 (the T5 convention) when the model declares none. */
    public int padId() {
        return padId;
    }

    public Normalizer normalizer() {
        return normalizer;
    }
}
