package io.cogflow.client;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The configuration of one Kafka client: the user's {@code kafka.client_properties} (security, tuning, config
 * providers — passed as they are) joined with what cogflow needs for that client. A user's property is never
 * overridden silently: where cogflow needs a value, a different one from the user is refused with a message that
 * names the property, the client and the reason; where cogflow only has a preference, the user's value wins.
 *
 * <pre>{@code
 * Map<String, Object> p = ClientProperties.forClient("results sink", user)
 *         .fromSetting("bootstrap.servers", servers, "kafka.bootstrap_servers")
 *         .atLeast("max.request.size", 8 << 20, "a video up to the inline limit is one record")
 *         .byDefault("linger.ms", 20)
 *         .toMap();
 * }</pre>
 *
 * Values compare as text (booleans and numbers by value). A value that is a config-provider reference such as
 * {@code ${env:X}} is only known when the client resolves it, so it cannot meet a requirement and is refused too.
 */
public final class ClientProperties {
    /** Where users put client properties, as the error messages name it. */
    public static final String USER_SETTING = "kafka.client_properties";

    private final String client;
    private final Map<String, String> user;
    private final Map<String, Object> merged;

    private ClientProperties(String client, Map<String, String> user) {
        this.client = Objects.requireNonNull(client, "client");
        this.user = Map.copyOf(Objects.requireNonNull(user, "user properties"));
        this.merged = new LinkedHashMap<>(this.user);
    }

    /** @param client what the client is for, as messages name it ("results sink", "requests source", ...) */
    public static ClientProperties forClient(String client, Map<String, String> user) {
        return new ClientProperties(client, user);
    }

    /** cogflow needs exactly this value ({@code why} says what breaks otherwise); the user may only repeat it. */
    public ClientProperties require(String key, Object value, String why) {
        String mine = user.get(key);
        if (mine != null && !sameValue(mine, value)) {
            throw new IllegalArgumentException("Kafka client property " + key + "=" + mine + " conflicts with the "
                    + client + ", which needs " + key + "=" + value + " (" + why + "); remove it from "
                    + USER_SETTING);
        }
        merged.put(key, value);
        return this;
    }

    /**
     * Like {@link #require}, for a property the library that builds the client sets itself (Flink's Kafka source
     * and sink builders set deserializers, serializers and the offset reset): checked, but not passed on, so the
     * builder neither warns about an override nor overrides the user silently.
     */
    public ClientProperties setByBuilder(String key, Object value, String why) {
        require(key, value, why);
        merged.remove(key);
        return this;
    }

    /** The value comes from another setting of cogflow's configuration; the user sets it there, not here. */
    public ClientProperties fromSetting(String key, Object value, String setting) {
        String mine = user.get(key);
        if (mine != null && !sameValue(mine, value)) {
            throw new IllegalArgumentException("Kafka client property " + key + "=" + mine + " conflicts with "
                    + setting + " (" + value + ") for the " + client + "; set " + setting + " instead and remove "
                    + key + " from " + USER_SETTING);
        }
        merged.put(key, value);
        return this;
    }

    /** cogflow manages the property itself ({@code why} says how); the user may not set it at all. */
    public ClientProperties reserved(String key, String why) {
        String mine = user.get(key);
        if (mine != null) {
            throw new IllegalArgumentException("Kafka client property " + key + "=" + mine + " cannot be set for the "
                    + client + ": " + why + "; remove it from " + USER_SETTING);
        }
        return this;
    }

    /** cogflow needs at least {@code minimum}; a larger value from the user is kept, a smaller one refused. */
    public ClientProperties atLeast(String key, long minimum, String why) {
        String mine = user.get(key);
        if (mine == null) {
            // as text: Kafka parses text for every type, while a Long is refused for an int setting
            merged.put(key, Long.toString(minimum));
            return this;
        }
        long value;
        try {
            value = Long.parseLong(mine.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Kafka client property " + key + "=" + mine + " is not a number; the "
                    + client + " needs at least " + minimum + " (" + why + ")");
        }
        if (value < minimum) {
            throw new IllegalArgumentException("Kafka client property " + key + "=" + mine + " is below what the "
                    + client + " needs: at least " + minimum + " (" + why + "); raise it or remove it from "
                    + USER_SETTING);
        }
        return this;
    }

    /** cogflow's preference, used when the user has not set the property. */
    public ClientProperties byDefault(String key, Object value) {
        merged.putIfAbsent(key, value);
        return this;
    }

    public Map<String, Object> toMap() {
        return new LinkedHashMap<>(merged);
    }

    public Properties toProperties() {
        Properties p = new Properties();
        merged.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        return p;
    }

    private static boolean sameValue(String mine, Object needed) {
        String a = mine.trim();
        String b = String.valueOf(needed).trim();
        if (needed instanceof Boolean) {
            return a.toLowerCase(Locale.ROOT).equals(b);
        }
        if (needed instanceof Number) {
            try {
                return Long.parseLong(a) == ((Number) needed).longValue();
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return a.equals(b);
    }
}
