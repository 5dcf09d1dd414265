package io.cogflow.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Models and texts beyond the golden set (see src/test/resources/spm/README.md): other normalisers, whitespace
 * settings, user-defined pieces, and texts built to hit the corner cases; every encoding must equal
 * sentencepiece 0.2.2's, ids and pieces.
 */
class SentencePieceReferenceTest {

    @ParameterizedTest
    @ValueSource(strings = {"t5like.model", "identity.model", "nfkccf.model"})
    void everyTextEncodesAsSentencepiece(String model) throws IOException, URISyntaxException {
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/spm/reference.json")) {
            cases = new ObjectMapper().readTree(in).get("models").get(model);
        }
        assertThat(cases.size()).isGreaterThanOrEqualTo(300);
        T5Tokenizer tokenizer = T5Tokenizer.load(Path.of(getClass().getResource("/spm/" + model).toURI()));
        List<String> failures = new ArrayList<>();
        for (JsonNode c : cases) {
            String text = c.get("text").asText();
            List<Integer> expectedIds = new ArrayList<>();
            c.get("ids").forEach(id -> expectedIds.add(id.asInt()));
            List<String> expectedPieces = new ArrayList<>();
            c.get("pieces").forEach(p -> expectedPieces.add(p.asText()));
            List<Integer> ids = new ArrayList<>();
            for (int id : tokenizer.ids(text)) {
                ids.add(id);
            }
            List<String> pieces = tokenizer.pieces(text);
            if (!ids.equals(expectedIds) || !pieces.equals(expectedPieces)) {
                failures.add(text + "\n  expected " + expectedIds + " " + expectedPieces + "\n  actual   " + ids
                        + " " + pieces);
            }
        }
        assertThat(failures).as(model).isEmpty();
    }
}
