package io.cogflow.model.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What generating one batch costs on one machine, per video size and batch size, as {@code cogflow bench profile}
 * measured it (whole generations: text, denoising with guidance, decode). A batching policy plans from it; the
 * file lives in {@code configs/profiles/} next to the configs that use it.
 *
 * @param model    the exported model it was measured on
 * @param machine  a description of the machine (cores, device)
 * @param measured ISO date
 * @param steps    denoising steps of every measured generation
 * @param buckets  per size ({@code WIDTHxHEIGHTxFRAMES}), the measured batch sizes in increasing order
 */
public record BatchProfile(String model, String machine, String measured, int steps, double guidance,
                           Map<String, List<Point>> buckets) implements Serializable {

    /** Median wall time of a whole batch, with its denoising and decode parts. */
    public record Point(int batch, double batchMs, double denoiseMs, double decodeMs) implements Serializable {
        public Point {
            if (batch < 1 || !(batchMs > 0)) {
                throw new IllegalArgumentException("a profile point needs batch >= 1 and a positive time, got batch "
                        + batch + ", " + batchMs + " ms");
            }
        }

        public double videosPerSecond() {
            return batch * 1000 / batchMs;
        }
    }

    public BatchProfile {
        if (steps < 1) {
            throw new IllegalArgumentException("profile steps must be >= 1");
        }
        Map<String, List<Point>> sorted = new LinkedHashMap<>();
        buckets = buckets == null ? Map.of() : buckets;
        for (Map.Entry<String, List<Point>> e : buckets.entrySet()) {
            VideoSize.parse(e.getKey());
            List<Point> points = new ArrayList<>(e.getValue());
            if (points.isEmpty()) {
                throw new IllegalArgumentException("profile bucket " + e.getKey() + " has no points");
            }
            points.sort(Comparator.comparingInt(Point::batch));
            sorted.put(e.getKey(), List.copyOf(points));
        }
        buckets = java.util.Collections.unmodifiableMap(sorted);
    }

    public boolean covers(VideoSize size) {
        return buckets.containsKey(size.toString());
    }

    public List<Point> points(VideoSize size) {
        List<Point> p = buckets.get(size.toString());
        if (p == null) {
            throw new IllegalArgumentException("the batch profile has no bucket " + size + " (it has "
                    + buckets.keySet() + ")");
        }
        return p;
    }

    /**
     * Estimated milliseconds for a batch of {@code batch}: measured points, linear between them, and beyond the
     * largest at that point's cost per video (below the smallest, at the smallest's time).
     */
    public double batchMs(VideoSize size, int batch) {
        List<Point> p = points(size);
        Point first = p.get(0);
        if (batch <= first.batch()) {
            return first.batchMs();
        }
        for (int i = 1; i < p.size(); i++) {
            Point hi = p.get(i);
            if (batch <= hi.batch()) {
                Point lo = p.get(i - 1);
                double f = (double) (batch - lo.batch()) / (hi.batch() - lo.batch());
                return lo.batchMs() + f * (hi.batchMs() - lo.batchMs());
            }
        }
        Point last = p.get(p.size() - 1);
        return last.batchMs() / last.batch() * batch;
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static BatchProfile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("batch profile not found: " + file
                    + " (measure one with: cogflow bench profile --out " + file + ")");
        }
        try {
            return JSON.readValue(file.toFile(), BatchProfile.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a batch profile: " + e.getMessage(), e);
        }
    }

    public void write(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            JSON.writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
