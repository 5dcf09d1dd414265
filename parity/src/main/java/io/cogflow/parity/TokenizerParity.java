package io.cogflow.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cogflow.model.tokenizer.T5Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Runs a {@code spiece.model} over every case of a tokenizer golden.json ({@code {"vocab_size", "cases":
 * [{"text", "ids", "pieces"?, "t5_ids_max16"?}]}}) and compares ids, pieces and the T5 input of length 16.
 * Tokenization is exact, so a case passes only on equality.
 */
public final class TokenizerParity {
    /** The T5 input length the golden {@code t5_ids_max16} field was made with. */
    public static final int T5_GOLDEN_LENGTH = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenizerParity() {
    }

    /** One golden case; the pieces and T5 fields are null when the golden file has none. */
    public record CaseResult(String text, int[] expectedIds, int[] actualIds, List<String> expectedPieces,
                             List<String> actualPieces, long[] expectedT5, long[] actualT5) {
        public boolean idsMatch() {
            return Arrays.equals(expectedIds, actualIds);
        }

        public boolean piecesMatch() {
            return expectedPieces == null || expectedPieces.equals(actualPieces);
        }

        public boolean t5Matches() {
            return expectedT5 == null || Arrays.equals(expectedT5, actualT5);
        }

        public boolean passed() {
            return idsMatch() && piecesMatch() && t5Matches();
        }

        /** What differs, or "ok". */
        public String summary() {
            if (passed()) {
                return "ok";
            }
            List<String> parts = new ArrayList<>();
            if (!idsMatch()) {
                parts.add("ids expected " + Arrays.toString(expectedIds) + " got " + Arrays.toString(actualIds));
            }
            if (!piecesMatch()) {
                parts.add("pieces expected " + expectedPieces + " got " + actualPieces);
            }
            if (!t5Matches()) {
                parts.add("t5_ids_max16 expected " + Arrays.toString(expectedT5) + " got "
                        + Arrays.toString(actualT5));
            }
            return String.join("; ", parts);
        }
    }

    /** {@code expectedVocabSize} is -1 when the golden file does not state it. */
    public record Report(Path model, int vocabSize, int expectedVocabSize, List<CaseResult> cases) {
        public boolean vocabSizeMatches() {
            return expectedVocabSize < 0 || expectedVocabSize == vocabSize;
        }

        public long failures() {
            return cases.stream().filter(c -> !c.passed()).count();
        }

        public boolean passed() {
            return vocabSizeMatches() && failures() == 0 && !cases.isEmpty();
        }

        public String summary() {
            return String.format(Locale.ROOT, "%d/%d cases match%s", cases.size() - failures(), cases.size(),
                    vocabSizeMatches() ? "" : ", vocab size " + vocabSize + " but golden says " + expectedVocabSize);
        }
    }

    public static Report run(Path spieceModelOrDir, Path goldenJson) {
        if (!Files.isRegularFile(goldenJson)) {
            throw new IllegalArgumentException("golden file not found: " + goldenJson);
        }
        JsonNode root;
        try {
            root = JSON.readTree(goldenJson.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(goldenJson + ": not JSON: " + e.getMessage(), e);
        }
        JsonNode cases = root.path("cases");
        if (!cases.isArray()) {
            throw new IllegalArgumentException(goldenJson + ": no \"cases\" array");
        }
        T5Tokenizer tokenizer = T5Tokenizer.load(spieceModelOrDir);
        List<CaseResult> results = new ArrayList<>();
        for (JsonNode c : cases) {
            if (!c.path("text").isTextual() || !c.path("ids").isArray()) {
                throw new IllegalArgumentException(goldenJson + ": case " + results.size()
                        + " lacks \"text\" or \"ids\"");
            }
            String text = c.get("text").asText();
            int[] expectedIds = new int[c.get("ids").size()];
            for (int i = 0; i < expectedIds.length; i++) {
                expectedIds[i] = c.get("ids").get(i).asInt();
            }
            List<String> expectedPieces = null;
            if (c.path("pieces").isArray()) {
                List<String> pieces = new ArrayList<>();
                c.get("pieces").forEach(p -> pieces.add(p.asText()));
                expectedPieces = Collections.unmodifiableList(pieces);
            }
            long[] expectedT5 = null;
            long[] actualT5 = null;
            if (c.path("t5_ids_max16").isArray()) {
                JsonNode t5 = c.get("t5_ids_max16");
                expectedT5 = new long[t5.size()];
                for (int i = 0; i < expectedT5.length; i++) {
                    expectedT5[i] = t5.get(i).asLong();
                }
                actualT5 = tokenizer.encode(text, T5_GOLDEN_LENGTH);
            }
            results.add(new CaseResult(text, expectedIds, tokenizer.ids(text), expectedPieces,
                    expectedPieces == null ? null : tokenizer.pieces(text), expectedT5, actualT5));
        }
        return new Report(spieceModelOrDir, tokenizer.vocabSize(), root.path("vocab_size").asInt(-1),
                List.copyOf(results));
    }
}
