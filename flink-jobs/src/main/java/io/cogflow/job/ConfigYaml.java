package io.cogflow.job;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the job's YAML files (snake_case keys, unknown keys refused) and turns every mistake into one line that
 * names the file, the line and column, and the key — never the text of the line or the value found: a config
 * holds Kafka credentials, and an error message ends up in terminals, CI logs and tickets.
 */
final class ConfigYaml {
    /** Keys that were renamed: the old name is refused with a message naming the new one. */
    private static final Map<String, String> RENAMED = Map.of(
            "kafka.security_properties", "kafka.client_properties (every Kafka client gets them, not only for security)");
    /** Keys that were removed: refused with why, rather than as an unknown key someone may think is mistyped. */
    private static final Map<String, String> REMOVED = Map.of(
            "testing", "failures and slowdowns are injected by tests alone, through the generator factory the job is "
                    + "built with (GeneratorFactory), never by a production config");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConfigYaml() {
    }

    static <T> T read(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("job config not found: " + file);
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, file.toString(), type);
    }

    /** @param source how messages name the text: a file name, or a description */
    static <T> T parse(String yaml, String source, Class<T> type) {
        try {
            JsonNode tree = YAML.readTree(yaml);
            refuseRenamedKeys(tree == null ? YAML.createObjectNode() : tree, source);
            // parsed again rather than bound from the tree: binding from text keeps line and column for mistakes
            return yaml.isBlank() ? YAML.readValue("{}", type) : YAML.readValue(yaml, type);
        } catch (IOException e) {
            throw new IllegalArgumentException(describe(e, source, yaml), e);
        }
    }

    private static void refuseRenamedKeys(JsonNode root, String source) {
        RENAMED.forEach((old, replacement) -> {
            if (has(root, old)) {
                throw new IllegalArgumentException(source + ": " + old + " was renamed to " + replacement);
            }
        });
        REMOVED.forEach((old, why) -> {
            if (has(root, old)) {
                throw new IllegalArgumentException(source + ": " + old + " is no longer a config key: " + why);
            }
        });
    }

    /** Whether the tree has the dotted key path. */
    private static boolean has(JsonNode root, String dotted) {
        JsonNode n = root;
        for (String key : dotted.split("\\.")) {
            n = n == null ? null : n.get(key);
        }
        return n != null;
    }

    static String describe(IOException e, String source, String yaml) {
        MarkedYAMLException syntax = cause(e, MarkedYAMLException.class);
        if (syntax != null) {
            Mark mark = syntax.getProblemMark();
            String where = mark == null ? source : source + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
            // the problem ("mapping values are not allowed here"), never the snippet of the line it quotes
            String context = syntax.getContext() == null ? "" : " (" + syntax.getContext() + ")";
            return where + ": YAML syntax error: " + syntax.getProblem() + context;
        }
        if (e instanceof JsonParseException p) {
            return at(source, p.getLocation()) + ": YAML syntax error";
        }
        if (e instanceof JsonMappingException m) {
            String where = keyLocation(yaml, m, source);
            String key = BindingErrors.path(m);
            if (m instanceof UnrecognizedPropertyException u) {
                String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                        .map(String::valueOf).sorted().collect(Collectors.joining(", "));
                return where + ": unknown key " + key + (known.isEmpty() ? "" : " (known here: " + known + ")");
            }
            if (m instanceof ValueInstantiationException v && v.getCause() != null) {
                // our records' own checks: their messages name the setting and are written not to echo secrets
                return where + ": " + v.getCause().getMessage();
            }
            if (m instanceof MismatchedInputException mi && mi.getTargetType() != null) {
                return where + ": " + key + ": expected " + BindingErrors.expected(mi.getTargetType());
            }
            return where + ": " + key + ": not a valid value";
        }
        if (e instanceof JsonProcessingException p) {
            return at(source, p.getLocation()) + ": " + p.getOriginalMessage();
        }
        return source + ": " + e.getMessage();
    }

    /**
     * Where the key of a mapping error is: Jackson reports where its parser stopped (often the next line), so the
     * key's own position is looked up in SnakeYAML's node tree, which keeps a mark for every node.
     */
    private static String keyLocation(String yaml, JsonMappingException m, String source) {
        try {
            Node node = new Yaml().compose(new StringReader(yaml));
            Node key = null;
            for (JsonMappingException.Reference r : m.getPath()) {
                key = null;
                if (r.getFieldName() == null || !(node instanceof MappingNode map)) {
                    break;
                }
                Node value = null;
                for (NodeTuple t : map.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(r.getFieldName())) {
                        key = t.getKeyNode();
                        value = t.getValueNode();
                    }
                }
                node = value;
            }
            if (key != null) {
                Mark mark = key.getStartMark();
                return source + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
            }
        } catch (RuntimeException ignored) {
            // the text parsed once already; if it cannot be composed here, Jackson's position is all there is
        }
        return at(source, m.getLocation());
    }

    private static String at(String source, JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return source;
        }
        return source + ":" + location.getLineNr() + ":" + location.getColumnNr();
    }

    private static <X extends Throwable> X cause(Throwable t, Class<X> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
