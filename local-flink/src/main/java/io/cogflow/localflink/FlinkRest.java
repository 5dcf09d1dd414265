package io.cogflow.localflink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The few calls of a Flink cluster's REST API cogflow makes — status, job details, cancel — against any cluster:
 * a {@link LocalFlinkCluster} or a real one.
 */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FlinkRest(URI base) {
        this.base = base;
    }

    /** A GET, as JSON; a non-2xx answer is an {@link IOException} with its body. */
    public JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), path);
    }

    /** {@code PATCH /jobs/<id>?mode=cancel}. */
    public void cancel(String jobId) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()), "cancel " + jobId);
    }

    private JsonNode send(HttpRequest.Builder request, String what) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException(what + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }
}
