package io.cogflow.cli;

import io.cogflow.localkafka.LocalKafkaBroker;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's "Run it on a cluster", command by command: a local standalone cluster of separate processes, the job
 * jar submitted over REST, requests submitted and watched to their results, the job's status, cancel, down.
 */
class ClusterCliTest {
    private static final Path FLINK_JOBS = Path.of(System.getProperty("cogflow.root", "..")).resolve("flink-jobs")
            .resolve("target");

    @Test
    void upSubmitWatchStatusCancelDown(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("cluster");
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().port(0).start()) {
            broker.createTopics(List.of(new NewTopic("cogflow.requests", 1, (short) 1),
                    new NewTopic("cogflow.results", 1, (short) 1), new NewTopic("cogflow.progress", 1, (short) 1),
                    new NewTopic("cogflow.requests.dlq", 1, (short) 1)));
            String up = CliRun.of("cluster", "up", "--dir", dir.toString(), "--rest-port", "0", "--task-managers", "1",
                    "--task-manager-memory", "1536m", "--lib", FLINK_JOBS.resolve("flink-lib").toString()).succeeded();
            try {
                Matcher rest = Pattern.compile("dashboard (http://127\\.0\\.0\\.1:\\d+)").matcher(up);
                assertThat(rest.find()).as(up).isTrue();
                String cluster = rest.group(1);
                assertThat(CliRun.of("cluster", "status", "--dir", dir.toString()).succeeded())
                        .contains("1 TaskManager(s), 3 of 3 slots free, jobs running 0");

                Path config = Files.writeString(tmp.resolve("job.yaml"), "kafka: {bootstrap_servers: '"
                        + broker.bootstrapServers() + "'}\n"
                        + "model: {dir: '" + io.cogflow.job.TestModels.plumbing().toAbsolutePath().normalize() + "', threads: 1}\n"
                        + "results: {claim_check_uri: '" + tmp.resolve("claims").toUri() + "'}\n"
                        + "checkpoints: {dir: '" + dir.resolve("checkpoints").toUri() + "'}\n"
                        + "checkpoint_interval_ms: 500\n");
                String submitted = CliRun.of("job", "--config", config.toString(), "--cluster", cluster, "--jar",
                        FLINK_JOBS.resolve("cogflow-job.jar").toString()).succeeded();
                Matcher id = Pattern.compile("job ([0-9a-f]{32}) submitted to " + Pattern.quote(cluster)).matcher(submitted);
                assertThat(id.find()).as(submitted).isTrue();
                assertThat(submitted).contains("dashboard " + cluster + "/#/job/running/" + id.group(1));

                Path requests = Files.writeString(tmp.resolve("requests.jsonl"), "{\"request_id\": \"on-cluster\", "
                        + "\"prompt\": \"a red circle\", \"width\": 64, \"height\": 64, \"frames\": 9, \"steps\": 2}\n");
                CliRun.of("submit", "--bootstrap", broker.bootstrapServers(), "--file", requests.toString()).succeeded();
                assertThat(CliRun.of("watch", "--bootstrap", broker.bootstrapServers(), "--ids", "on-cluster",
                        "--timeout", "240").succeeded()).contains("on-cluster").contains("SUCCEEDED");

                assertThat(CliRun.of("job", "status", "--cluster", cluster, id.group(1)).succeeded())
                        .contains(id.group(1)).contains("RUNNING");
                assertThat(CliRun.of("job", "cancel", "--cluster", cluster, id.group(1)).succeeded())
                        .contains("cancelled");
            } finally {
                assertThat(CliRun.of("cluster", "down", "--dir", dir.toString()).succeeded()).contains("stopped 2");
            }
            assertThat(CliRun.of("cluster", "status", "--dir", dir.toString()).exit()).isEqualTo(Cogflow.FAIL);
        }
    }
}
