package io.cogflow.model.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code SentencePieceProcessor::Encode} for unigram models: normalise, segment, report each piece with its
 * normalised surface (so a merged unknown run reads as the text it covers, e.g. "中文"). Stateless after
 * construction, so safe to share between threads.
 */
final class SentencePieceEncoder {
    private final SpmNormalizer normalizer;
    private final UnigramViterbi viterbi;

    SentencePieceEncoder(SentencePieceModel model) {
        checkSupported(model);
        this.viterbi = new UnigramViterbi(model);
        try {
            this.normalizer = new SpmNormalizer(model.normalizer(), viterbi.userDefined());
        } catch (TokenizerException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new TokenizerException(model.source() + ": corrupt normalizer_spec: " + e.getMessage(), e);
        }
    }

    private static void checkSupported(SentencePieceModel model) {
        String why = null;
        if (model.modelType() != SentencePieceModel.ModelType.UNIGRAM) {
            why = "model_type " + model.modelType() + " (only UNIGRAM is supported)";
        } else if (model.byteFallback()) {
            why = "byte_fallback (unknown characters as UTF-8 byte pieces) is not supported";
        } else if (model.treatWhitespaceAsSuffix()) {
            why = "treat_whitespace_as_suffix is not supported";
        }
        if (why != null) {
            throw new TokenizerException(model.source() + ": unsupported SentencePiece model: " + why);
        }
        boolean anyNormal = false;
        for (int id = 0; id < model.size() && !anyNormal; id++) {
            anyNormal = model.type(id) == PieceType.NORMAL;
        }
        if (!anyNormal) {
            throw new TokenizerException(model.source() + ": the model has no normal pieces");
        }
    }

    int[] ids(String text) {
        List<UnigramViterbi.Piece> pieces = viterbi.encode(normalizer.normalize(text));
        int[] ids = new int[pieces.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = pieces.get(i).id();
        }
        return ids;
    }

    List<String> pieces(String text) {
        byte[] normalized = normalizer.normalize(text);
        List<String> out = new ArrayList<>();
        for (UnigramViterbi.Piece p : viterbi.encode(normalized)) {
            out.add(new String(normalized, p.start(), p.end() - p.start(), StandardCharsets.UTF_8));
        }
        return out;
    }
}
