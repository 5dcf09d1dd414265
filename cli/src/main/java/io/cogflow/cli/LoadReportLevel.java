package io.cogflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.simulator.Validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code cogflow simulate --validate} reads of a {@code cogflow bench load --json} report: per level its
 * policy, load, end-to-end p50 and p95, and the arrivals as they were sent. Read by field name from the JSON (the
 * report's contract), never from the printed text.
 */
record LoadReportLevel(String policy, double load, double p50Ms, double p95Ms,
                       List<Validation.MeasuredArrival> arrivals) {

    static List<LoadReportLevel> read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the load report " + file, e);
        }
        JsonNode levels = root.path("report").path("levels");
        if (!levels.isArray() || levels.isEmpty()) {
            throw new IllegalArgumentException(file + " is not a `cogflow bench load --json` report: it has no "
                    + "report.levels");
        }
        List<LoadReportLevel> out = new ArrayList<>();
        for (JsonNode l : levels) {
            JsonNode sent = l.path("arrivals");
            if (!sent.isArray() || sent.isEmpty()) {
                throw new IllegalArgumentException(file + ": level " + l.path("policy").asText() + " at "
                        + l.path("load").asText() + " has no arrivals (a report from before they were recorded)");
            }
            List<Validation.MeasuredArrival> arrivals = new ArrayList<>();
            for (JsonNode a : sent) {
                arrivals.add(new Validation.MeasuredArrival(a.path("sent_ms").asDouble(),
                        VideoSize.parse(a.path("size").asText()), a.path("steps").asInt()));
            }
            out.add(new LoadReportLevel(l.path("policy").asText(), l.path("load").asDouble(),
                    l.path("latency_ms").path("p50").asDouble(), l.path("latency_ms").path("p95").asDouble(),
                    List.copyOf(arrivals)));
        }
        return out;
    }
}
