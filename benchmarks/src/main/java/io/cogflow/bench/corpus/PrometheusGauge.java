package io.cogflow.bench.corpus;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * One gauge from a Prometheus endpoint ({@code /metrics}, text format): how the replay tool reads the job's
 * {@code numRestarts} from Flink's Prometheus reporter, on a cluster as in the embedded job.
 */
public final class PrometheusGauge {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusGauge() {
    }

    /** The largest value of {@code name} over its series (labels), or empty when the endpoint has none. */
    public static OptionalDouble max(URI endpoint, String name) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(endpoint + " answered HTTP " + response.statusCode());
        }
        return max(response.body(), name);
    }

    /** In the text of an exposition: lines {@code name value} or {@code name{labels} value}. */
    static OptionalDouble max(String exposition, String name) {
        OptionalDouble max = OptionalDouble.empty();
        for (String line : exposition.split("\n")) {
            if (!line.startsWith(name) || line.length() == name.length()) {
                continue;
            }
            char next = line.charAt(name.length());
            if (next != '{' && next != ' ') {
                continue;  // another metric whose name starts with this one
            }
            String[] parts = line.substring(line.lastIndexOf('}') + 1 > 0 && next == '{'
                    ? line.lastIndexOf('}') + 1 : name.length()).trim().split("\\s+");
            try {
                double v = Double.parseDouble(parts[0]);
                max = OptionalDouble.of(max.isPresent() ? Math.max(max.getAsDouble(), v) : v);
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return max;
    }
}
