package io.cogflow.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.cogflow.job.BindingErrors;
import io.cogflow.schemas.GenerationRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSONL file of requests for {@code cogflow submit --file}, one {@link RequestLine} per non-blank line, bound
 * strictly: a misspelt key, a value of the wrong type ({@code "width": "big"}, {@code "steps": 2.5},
 * {@code "prompt": 7}), a null where none is allowed or a duplicated key is an error naming the file, the line and
 * the key — never a silent default. Enum values (sampler, output_format) may be in any case.
 */
final class RequestFile {
    private static final ObjectMapper JSON = strict();

    private RequestFile() {
    }

    static List<GenerationRequest> read(Path file) throws IOException {
        List<GenerationRequest> requests = new ArrayList<>();
        int line = 0;
        for (String text : Files.readAllLines(file)) {
            line++;
            if (!text.isBlank()) {
                requests.add(parse(text, file + ":" + line));
            }
        }
        return requests;
    }

    /** One line; {@code where} (file:line) starts every error message. */
    static GenerationRequest parse(String text, String where) {
        try {
            JsonNode tree = JSON.readTree(text);
            if (!tree.isObject()) {
                throw new IllegalArgumentException(where + ": a request must be a JSON object");
            }
            refuseNulls(tree, where);
            return JSON.treeToValue(tree, RequestLine.class).toRequest();
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(where + ": unknown key \"" + e.getPropertyName() + "\"; known keys: "
                    + String.join(", ", RequestLine.KEYS), e);
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty()) {
                // not about a key: the line itself, e.g. a second value after the object
                throw new IllegalArgumentException(where + ": not JSON: " + e.getOriginalMessage(), e);
            }
            throw new IllegalArgumentException(where + ": key \"" + BindingErrors.path(e) + "\" must be "
                    + BindingErrors.expected(e.getTargetType()) + ", got " + found(e), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * A null would bind like an absent key, and so take a default silently; only where the schema allows a null
     * (or a default stands in for it, as for request_id) does it mean that.
     */
    private static void refuseNulls(JsonNode request, String where) {
        request.fields().forEachRemaining(e -> {
            if (e.getValue().isNull() && RequestLine.KEYS.contains(e.getKey())
                    && !RequestLine.NULLABLE.contains(e.getKey())) {
                throw new IllegalArgumentException(where + ": key \"" + e.getKey() + "\" must not be null");
            }
        });
        request.path("client_metadata").fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) {
                throw new IllegalArgumentException(where + ": key \"client_metadata." + e.getKey()
                        + "\" must not be null");
            }
        });
    }

    private static ObjectMapper strict() {
        JsonMapper mapper = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        // no value changes type on the way in: "64" is not a number, 7 is not a string, 1 is not true
        for (LogicalType type : new LogicalType[]{LogicalType.Integer, LogicalType.Float, LogicalType.Boolean,
                LogicalType.Textual, LogicalType.Enum}) {
            for (CoercionInputShape shape : new CoercionInputShape[]{CoercionInputShape.String,
                    CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean,
                    CoercionInputShape.EmptyString}) {
                mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
            }
        }
        // an integer where a decimal is expected ("guidance": 6) is the same number, not a coercion
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
        // an enum is a string: "MP4", "gif"
        mapper.coercionConfigFor(LogicalType.Enum).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        return mapper;
    }

    /** The offending value as the parser saw it. */
    private static String found(MismatchedInputException e) {
        if (!(e.getProcessor() instanceof JsonParser p) || p.currentToken() == null) {
            return "something else";
        }
        JsonToken t = p.currentToken();
        try {
            return switch (t) {
                case VALUE_STRING -> "\"" + p.getText() + "\"";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                default -> t.asString() != null ? t.asString() : t.name();
            };
        } catch (IOException io) {
            return t.name();
        }
    }
}
