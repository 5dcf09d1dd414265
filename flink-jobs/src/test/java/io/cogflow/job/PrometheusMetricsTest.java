package io.cogflow.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cogflow.client.RequestProducer;
import io.cogflow.localkafka.LocalKafkaBroker;
import io.cogflow.schemas.GenerationRequest;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job's metrics as a platform team scrapes them: Flink's Prometheus reporter in the embedded cluster, scraped
 * over HTTP while requests run, with the names the Grafana dashboard (configs/grafana/cogflow.json) queries.
 */
class PrometheusMetricsTest {
    private static final String OPERATOR = "flink_taskmanager_job_task_operator_";
    /** {@code name{labels} value}; Flink writes one sample per line, labels in braces. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$");

    @TempDir
    Path tmp;

    @Test
    void cogflowsMetricsAreScrapedWithRealValuesDuringARun() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().port(0).start()) {
            JobConfig.Kafka kafka = new JobConfig.Kafka(broker.bootstrapServers(), "m.requests", "m.results",
                    "m.progress", "m.dlq", "metrics-test", "metrics-test", 0, null);
            broker.createTopics(List.of(new NewTopic(kafka.requestsTopic(), 1, (short) 1),
                    new NewTopic(kafka.resultsTopic(), 1, (short) 1), new NewTopic(kafka.progressTopic(), 1, (short) 1),
                    new NewTopic(kafka.deadLetterTopic(), 1, (short) 1)));
            JobConfig config = JobConfig.parse("""
                            checkpoint_interval_ms: 500
                            batching: {defaults: {max_batch: 4, max_wait_ms: 300}}
                            """).withKafka(kafka)
                    .withModel(new JobConfig.Model(TestModels.plumbing().toString(), 1))
                    .withResults(new JobConfig.Results(512 * 1024, tmp.resolve("claims").toString()))
                    .withMetrics(new JobConfig.Metrics(Integer.toString(port)));
            try (LocalJob job = LocalJob.start(config, "metrics-test");
                 RequestProducer producer = new RequestProducer(broker.bootstrapServers(), kafka.requestsTopic(),
                         Map.of())) {
                for (int i = 0; i < 8; i++) {
                    producer.send(GenerationRequest.newBuilder().setRequestId("m-" + i).setPrompt("a red circle")
                            .setWidth(64).setHeight(64).setFrames(9).setSteps(2).build());
                }
                producer.send(GenerationRequest.newBuilder().setRequestId("m-bad").setPrompt("a red circle")
                        .setWidth(64).setHeight(64).setFrames(9).setSteps(0).build());
                producer.sendRaw("junk".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));
                producer.flush();

                Map<String, Double> m = Map.of();
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (System.nanoTime() < deadline) {
                    m = scrape(port);
                    if (sum(m, OPERATOR + "status_results", "status=\"SUCCEEDED\"") >= 8
                            && sum(m, OPERATOR + "deadLetters", "") >= 1) {
                        break;
                    }
                    Thread.sleep(500);
                }
                assertThat(sum(m, OPERATOR + "status_results", "status=\"SUCCEEDED\"")).isEqualTo(8);
                assertThat(sum(m, OPERATOR + "status_results", "status=\"REJECTED\"")).isEqualTo(1);
                assertThat(sum(m, OPERATOR + "deadLetters", "")).isEqualTo(1);
                assertThat(sum(m, OPERATOR + "batchSize_count", "")).isBetween(2.0, 8.0);
                assertThat(max(m, OPERATOR + "batchSize", "quantile=\"0.99\"")).isBetween(1.0, 4.0);
                assertThat(max(m, OPERATOR + "generationLatencyMs", "quantile=\"0.5\"")).isPositive();
                assertThat(max(m, OPERATOR + "stepLatencyMs", "quantile=\"0.5\"")).isPositive();
                assertThat(m).containsKey(OPERATOR + "bucket_queueDepth{bucket=\"64x64x9\"}")
                        .containsKey(OPERATOR + "bucket_queueDepth{bucket=\"128x128x17\"}");
                assertThat(max(m, OPERATOR + "modelLoadMs", "")).isPositive();
                assertThat(m.keySet()).anyMatch(k -> k.startsWith(OPERATOR + "pendingRecords"));
                // every series the shipped dashboard queries is one the job really reports
                Set<String> scraped = new HashSet<>();
                m.keySet().forEach(k -> scraped.add(k.replaceAll("\\{.*", "")));
                assertThat(dashboardMetrics()).isNotEmpty().allSatisfy(name -> assertThat(scraped).contains(name));
            }
        }
    }

    /** The metric names in the expressions of configs/grafana/cogflow.json. */
    private static Set<String> dashboardMetrics() throws IOException {
        Path file = Path.of(System.getProperty("cogflow.root", "..")).resolve("configs/grafana/cogflow.json");
        JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
        Set<String> names = new TreeSet<>();
        Pattern metric = Pattern.compile("flink_[A-Za-z0-9_]+");
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher x = metric.matcher(expr.asText());
            while (x.find()) {
                names.add(x.group());
            }
        }
        return names;
    }

    /** One scrape, samples keyed by name plus only the labels the assertions care about. */
    private static Map<String, Double> scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Double> samples = new HashMap<>();
        for (String line : r.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            String kept = keptLabels(m.group(2));
            samples.merge(m.group(1) + kept, Double.parseDouble(m.group(3)), Double::sum);
        }
        return samples;
    }

    /** bucket, status and quantile; everything else (job, task, subtask ids) is summed over. */
    private static String keptLabels(String labels) {
        if (labels == null) {
            return "";
        }
        StringBuilder kept = new StringBuilder();
        Matcher l = Pattern.compile("(bucket|status|quantile)=\"([^\"]*)\"").matcher(labels);
        while (l.find()) {
            kept.append(kept.length() == 0 ? "" : ",").append(l.group(1)).append("=\"").append(l.group(2)).append('"');
        }
        return kept.length() == 0 ? "" : "{" + kept + "}";
    }

    private static double sum(Map<String, Double> m, String name, String label) {
        return m.entrySet().stream().filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .filter(e -> e.getKey().contains(label)).mapToDouble(Map.Entry::getValue).sum();
    }

    private static double max(Map<String, Double> m, String name, String label) {
        return m.entrySet().stream().filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .filter(e -> e.getKey().contains(label)).mapToDouble(Map.Entry::getValue).max().orElse(0);
    }
}
