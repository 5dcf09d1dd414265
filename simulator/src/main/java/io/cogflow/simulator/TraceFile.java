package io.cogflow.simulator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.cogflow.model.pipeline.VideoSize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A recorded trace of arrivals: CSV ({@code arrival_s,size,steps,priority}, an optional header line) or, for a
 * file ending in {@code .jsonl} / {@code .json}, JSON lines ({@code {"arrival_s": 1.5, "size": "720x480x49",
 * "steps": 50, "priority": 0}}; priority may be left out, meaning 0). Lines starting with # and blank lines are
 * skipped. Arrivals are sorted; ids follow that order.
 */
public final class TraceFile {

    private TraceFile() {
    }

    record Line(double arrivalS, String size, Integer steps, Integer priority) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static List<SimRequest> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace " + file, e);
        }
        String name = file.getFileName().toString();
        boolean json = name.endsWith(".jsonl") || name.endsWith(".json");
        List<Line> parsed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).trim();
            if (l.isEmpty() || l.startsWith("#") || (!json && parsed.isEmpty() && l.startsWith("arrival"))) {
                continue;
            }
            try {
                parsed.add(json ? JSON.readValue(l, Line.class) : csv(l));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        parsed.sort(Comparator.comparingDouble(Line::arrivalS));
        List<SimRequest> out = new ArrayList<>(parsed.size());
        for (Line l : parsed) {
            if (l.steps() == null || l.size() == null) {
                throw new IllegalArgumentException(file + ": every line needs arrival_s, size and steps");
            }
            out.add(new SimRequest(out.size(), Math.round(l.arrivalS() * 1e9), VideoSize.parse(l.size()), l.steps(),
                    l.priority() == null ? 0 : l.priority()));
        }
        return out;
    }

    private static Line csv(String l) {
        String[] p = l.split(",");
        if (p.length < 3 || p.length > 4) {
            throw new IllegalArgumentException("expected arrival_s,size,steps[,priority], got '" + l + "'");
        }
        return new Line(Double.parseDouble(p[0].trim()), p[1].trim(), Integer.parseInt(p[2].trim()),
                p.length == 4 ? Integer.parseInt(p[3].trim()) : 0);
    }
}
