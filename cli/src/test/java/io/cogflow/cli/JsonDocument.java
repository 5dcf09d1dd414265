package io.cogflow.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** What a program reading a command's --json stdout gets: exactly one JSON object, nothing before or after it. */
final class JsonDocument {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private JsonDocument() {
    }

    static JsonNode parse(String stdout) {
        try {
            JsonNode n = STRICT.readTree(stdout);
            assertThat(n.isObject()).as(stdout).isTrue();
            return n;
        } catch (Exception e) {
            throw new AssertionError("stdout is not one JSON document: " + e.getMessage() + "\n" + stdout, e);
        }
    }

    /** Asserts {@code node.key} is a JSON number (not a string, not null) and returns it. */
    static double number(JsonNode node, String key) {
        assertThat(node.has(key)).as("key %s in %s", key, node).isTrue();
        assertThat(node.get(key).isNumber()).as("%s is a number in %s", key, node).isTrue();
        return node.get(key).asDouble();
    }
}
