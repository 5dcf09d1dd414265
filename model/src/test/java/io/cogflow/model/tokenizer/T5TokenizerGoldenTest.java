package io.cogflow.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cogflow.model.testing.Golden;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every case of the sentencepiece 0.2.2 reference (spm_tiny/golden.json): ids, pieces and T5 inputs. */
class T5TokenizerGoldenTest {
    private static T5Tokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = T5Tokenizer.load(Golden.path("spm_tiny"));
    }

    static Stream<JsonNode> cases() throws IOException {
        JsonNode root = new ObjectMapper().readTree(Golden.path("spm_tiny/golden.json").toFile());
        List<JsonNode> cases = new ArrayList<>();
        root.get("cases").forEach(cases::add);
        assertThat(cases).isNotEmpty();
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void idsMatchSentencepiece(JsonNode c) {
        int[] expected = new int[c.get("ids").size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = c.get("ids").get(i).asInt();
        }
        assertThat(tokenizer.ids(c.get("text").asText())).as(c.get("text").asText()).containsExactly(expected);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void piecesMatchSentencepiece(JsonNode c) {
        List<String> expected = new ArrayList<>();
        c.get("pieces").forEach(p -> expected.add(p.asText()));
        assertThat(tokenizer.pieces(c.get("text").asText())).as(c.get("text").asText())
                .containsExactlyElementsOf(expected);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void t5InputsMatchReference(JsonNode c) {
        JsonNode t5 = c.get("t5_ids_max16");
        long[] expected = new long[t5.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = t5.get(i).asLong();
        }
        assertThat(tokenizer.encode(c.get("text").asText(), 16)).containsExactly(expected);
    }

    @Test
    void vocabularySize() throws IOException {
        JsonNode root = new ObjectMapper().readTree(Golden.path("spm_tiny/golden.json").toFile());
        assertThat(tokenizer.vocabSize()).isEqualTo(root.get("vocab_size").asInt());
    }
}
