package io.cogflow.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Typed reads from a diffusers/transformers {@code config.json}: unknown keys are ignored, a missing key or an
 * explicit {@code null} takes the reference default, and a value of the wrong type is an error naming the key.
 */
public final class ConfigJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode root;
    private final String source;

    private ConfigJson(JsonNode root, String source) {
        this.root = root;
        this.source = source;
    }

    public static ConfigJson read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("config file not found: " + file);
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(file + ": not a JSON object");
            }
            return new ConfigJson(node, file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    /** A config shipped as a class-path resource next to {@code owner} (bench presets). */
    public static ConfigJson resource(Class<?> owner, String name) {
        try (java.io.InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + name + " next to " + owner.getName());
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read resource " + name + ": " + e.getMessage(), e);
        }
    }

    public static ConfigJson parse(String json) {
        try {
            return new ConfigJson(JSON.readTree(json), "<inline>");
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
    }

    private JsonNode value(String key) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? null : n;
    }

    public int integer(String key, int dflt) {
        Integer v = optionalInteger(key);
        return v == null ? dflt : v;
    }

    public Integer optionalInteger(String key) {
        JsonNode n = value(key);
        if (n == null) {
            return null;
        }
        if (!n.canConvertToInt() || (n.isNumber() && n.asDouble() != Math.rint(n.asDouble()))) {
            throw new IllegalArgumentException(source + ": '" + key + "' must be an integer, got " + n);
        }
        return n.asInt();
    }

    public double number(String key, double dflt) {
        JsonNode n = value(key);
        if (n == null) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw new IllegalArgumentException(source + ": '" + key + "' must be a number, got " + n);
        }
        return n.asDouble();
    }

    public boolean bool(String key, boolean dflt) {
        JsonNode n = value(key);
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw new IllegalArgumentException(source + ": '" + key + "' must be true or false, got " + n);
        }
        return n.asBoolean();
    }

    public String string(String key, String dflt) {
        JsonNode n = value(key);
        if (n == null) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException(source + ": '" + key + "' must be a string, got " + n);
        }
        return n.asText();
    }

    public int[] integers(String key, int[] dflt) {
        JsonNode n = value(key);
        if (n == null) {
            return dflt.clone();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(source + ": '" + key + "' must be a list of integers, got " + n);
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = n.get(i);
            if (!e.canConvertToInt() || !e.isIntegralNumber() && e.asDouble() != Math.rint(e.asDouble())) {
                throw new IllegalArgumentException(source + ": '" + key + "' must be a list of integers, got " + n);
            }
            out[i] = e.asInt();
        }
        return out;
    }

    public String[] strings(String key, String[] dflt) {
        JsonNode n = value(key);
        if (n == null) {
            return dflt.clone();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(source + ": '" + key + "' must be a list of strings, got " + n);
        }
        String[] out = new String[n.size()];
        for (int i = 0; i < out.length; i++) {
            if (!n.get(i).isTextual()) {
                throw new IllegalArgumentException(source + ": '" + key + "' must be a list of strings, got " + n);
            }
            out[i] = n.get(i).asText();
        }
        return out;
    }

    /** True when the key is present with a non-null value. */
    public boolean has(String key) {
        return value(key) != null;
    }

    public String source() {
        return source;
    }
}
