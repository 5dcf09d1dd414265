package io.cogflow.job;

import com.fasterxml.jackson.databind.JsonMappingException;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a JSON or YAML binding mistake is named to a user — the key's path and the kind of value it wants — for the
 * job's YAML configs and the command line's request files alike. Neither ever includes the value found: the
 * caller decides whether that may be shown (a config holds credentials).
 */
public final class BindingErrors {
    private BindingErrors() {
    }

    /** The key as a file names it: {@code kafka.client_properties}, {@code requests[2].width}. */
    public static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    /** What a value of {@code type} looks like, for "must be …" / "expected …". */
    public static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a map of keys to values";
        }
        return "a " + type.getSimpleName() + " section";
    }
}
