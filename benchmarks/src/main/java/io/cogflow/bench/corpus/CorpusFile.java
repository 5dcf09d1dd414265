package io.cogflow.bench.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Reads a corpus of raw records: JSON lines, each an object with {@code value_b64} (the record value, standard
 * base64), optional {@code key_b64} (absent or null: no key), optional {@code expect} ({@code result},
 * {@code rejected}, {@code expired}, {@code failed} or {@code dead_letter}) and optional {@code name}. Blank lines
 * and lines starting with {@code #} are skipped. A malformed line fails the whole file, naming the line: a replay
 * that silently left records out would prove nothing.
 */
public final class CorpusFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("name", "key_b64", "value_b64", "expect");

    private CorpusFile() {
    }

    public static List<CorpusRecord> read(Path file) throws IOException {
        List<CorpusRecord> records = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int n = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                n++;
                if (line.isBlank() || line.stripLeading().startsWith("#")) {
                    continue;
                }
                try {
                    records.add(parse(n, line));
                } catch (IOException | IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + n + ": " + e.getMessage(), e);
                }
            }
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no records");
        }
        return records;
    }

    static CorpusRecord parse(int line, String text) throws IOException {
        JsonNode node = JSON.readTree(text);
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "' (fields: name, key_b64, value_b64, "
                        + "expect)");
            }
        });
        JsonNode value = node.get("value_b64");
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("value_b64 is missing or not a string");
        }
        JsonNode name = node.get("name");
        JsonNode expect = node.get("expect");
        return new CorpusRecord(line, name == null || name.isNull() ? "line " + line : name.asText(),
                bytes(node.get("key_b64"), "key_b64"), bytes(value, "value_b64"),
                expect == null || expect.isNull() ? null : Outcome.parse(expect.asText()));
    }

    private static byte[] bytes(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(field + " is not a string");
        }
        try {
            return Base64.getDecoder().decode(node.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " is not base64: " + e.getMessage());
        }
    }
}
