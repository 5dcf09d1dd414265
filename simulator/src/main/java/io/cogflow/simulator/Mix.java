package io.cogflow.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A categorical distribution: values with the fractions of requests that take them, e.g. the sizes
 * {@code 720x480x49:0.6,480x480x25:0.25,256x256x17:0.15}. The fractions must add up to 1: a mix that silently
 * renormalised a typo would simulate a different workload than the one written down.
 */
public record Mix<V>(Map<V, Double> fractions) {

    public Mix {
        if (fractions.isEmpty()) {
            throw new IllegalArgumentException("a mix needs at least one value");
        }
        double sum = 0;
        for (double f : fractions.values()) {
            if (!(f > 0)) {
                throw new IllegalArgumentException("mix fractions must be positive, got " + fractions);
            }
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("mix fractions must add up to 1, got " + sum + " in " + fractions);
        }
        fractions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fractions));
    }

    public static <V> Mix<V> only(V value) {
        return new Mix<>(Map.of(value, 1.0));
    }

    /** Parses {@code value:fraction,value:fraction}; a single value without a fraction means all requests. */
    public static <V> Mix<V> parse(String text, Function<String, V> value) {
        Map<V, Double> m = new LinkedHashMap<>();
        String[] parts = text.split(",");
        for (String part : parts) {
            String p = part.trim();
            int colon = p.lastIndexOf(':');
            if (colon < 0) {
                if (parts.length != 1) {
                    throw new IllegalArgumentException("a mix with several values needs value:fraction for each, got '"
                            + text + "'");
                }
                m.put(value.apply(p), 1.0);
                continue;
            }
            V v = value.apply(p.substring(0, colon).trim());
            double f;
            try {
                f = Double.parseDouble(p.substring(colon + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a mix fraction must be a number, got '" + p + "'");
            }
            if (m.put(v, f) != null) {
                throw new IllegalArgumentException("a mix names " + v + " twice: '" + text + "'");
            }
        }
        return new Mix<>(m);
    }

    public V draw(SplittableRandom random) {
        double u = random.nextDouble();
        double acc = 0;
        V last = null;
        for (Map.Entry<V, Double> e : fractions.entrySet()) {
            acc += e.getValue();
            last = e.getKey();
            if (u < acc) {
                return last;
            }
        }
        return last; // rounding: u just below 1
    }

    public List<V> values() {
        return new ArrayList<>(fractions.keySet());
    }

    /** The mean of a numeric function of the values, weighted by their fractions. */
    public double mean(java.util.function.ToDoubleFunction<V> f) {
        return fractions.entrySet().stream().mapToDouble(e -> e.getValue() * f.applyAsDouble(e.getKey())).sum();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        fractions.forEach((v, f) -> b.append(b.isEmpty() ? "" : ",").append(v).append(':')
                .append(String.format(java.util.Locale.ROOT, "%.2f", f)));
        return b.toString();
    }
}
