package io.cogflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cogflow.localkafka.LocalKafkaBroker;
import io.cogflow.job.JobConfig;
import io.cogflow.job.LocalJob;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** cogflow submit and cogflow watch against a real broker and the job in a MiniCluster. */
class SubmitWatchCliTest {
    @TempDir
    Path tmp;

    private static String run(String... args) {
        return CliRun.of(args).succeeded();
    }

    @Test
    void submittedRequestsAreWatchedToTheirSavedVideos() throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().port(0).start()) {
            JobConfig.Kafka kafka = new JobConfig.Kafka(broker.bootstrapServers(), null, null, null, null, null,
                    "cli-test", 0, null);
            broker.createTopics(List.of(new NewTopic(kafka.requestsTopic(), 1, (short) 1),
                    new NewTopic(kafka.resultsTopic(), 1, (short) 1), new NewTopic(kafka.progressTopic(), 1, (short) 1),
                    new NewTopic(kafka.deadLetterTopic(), 1, (short) 1)));
            Path model = io.cogflow.job.TestModels.plumbing();
            JobConfig config = JobConfig.parse("checkpoint_interval_ms: 500").withKafka(kafka)
                    .withModel(new JobConfig.Model(model.toString(), 1))
                    // inline limit 0: every video goes through the claim-check store, which watch --save fetches
                    .withResults(new JobConfig.Results(0, tmp.resolve("claims").toString()));
            Path jsonl = tmp.resolve("requests.jsonl");
            Files.writeString(jsonl, """
                    {"request_id": "j-1", "prompt": "a red circle", "width": 64, "height": 64, "frames": 9, "steps": 2}
                    {"request_id": "j-2", "prompt": "a blue square", "width": 96, "height": 64, "frames": 9, "steps": 2, "output_format": "gif"}
                    {"request_id": "../../escape", "prompt": "a red circle", "width": 64, "height": 64, "frames": 9, "steps": 2}
                    {"request_id": "bell\\u001b[2J", "prompt": "a red circle", "width": 64, "height": 64, "frames": 9, "steps": 2}
                    """);
            // a path the job accepts as an id, and one with a control character, which the job rejects
            String hostile = "../../escape";
            String control = "bell\u001b[2J";
            try (LocalJob job = LocalJob.start(config, "cli-test")) {
                String submitted = run("submit", "--bootstrap", broker.bootstrapServers(), "--file", jsonl.toString(),
                        "--steps", "2", "a green triangle", "--json");
                JsonNode doc = JsonDocument.parse(submitted);
                assertThat(doc.get("topic").asText()).isEqualTo(kafka.requestsTopic());
                List<String> ids = new ArrayList<>();
                doc.get("request_ids").forEach(id -> ids.add(id.asText()));
                // the prompt arguments first, then the file's lines in order
                assertThat(ids).hasSize(5).endsWith("j-1", "j-2", hostile, control);
                assertThat(submitted).doesNotContain("\u001b");
                Path videos = tmp.resolve("videos");
                // a consumer's Flink configuration (as for an s3:// store) leaves file: references readable
                Path flinkConf = Files.createDirectories(tmp.resolve("flink-conf"));
                Files.writeString(flinkConf.resolve("config.yaml"), "s3.endpoint: http://127.0.0.1:9\n");
                // without a store to read from, a claim-checked video is reported, not fetched, and watch goes on
                CliRun unsaved = CliRun.of("watch", "--bootstrap", broker.bootstrapServers(), "--ids", "j-1",
                        "--save", tmp.resolve("unsaved").toString(), "--timeout", "180");
                assertThat(unsaved.exit()).as(unsaved.out() + unsaved.err()).isEqualTo(Cogflow.FAIL);
                assertThat(unsaved.out()).contains("j-1").contains("not saved: refusing").contains("none configured");
                String watched = run("watch", "--bootstrap", broker.bootstrapServers(), "--ids", String.join(",", ids),
                        "--save", videos.toString(), "--timeout", "180", "--flink-conf", flinkConf.toString(),
                        "--store", tmp.resolve("claims").toString());
                assertThat(watched).contains("j-1").contains("SUCCEEDED").contains(tmp.resolve("claims").toUri() + "j-1-");
                // the path id is saved inside the folder under the store's sanitised name; the rejected one is
                // printed escaped
                assertThat(watched).contains("bell\\u001b[2J").contains("REJECTED").doesNotContain("\u001b");
                assertThat(Files.list(videos).map(p -> p.getFileName().toString()).toList())
                        .contains("j-1.mp4", "j-2.gif", io.cogflow.client.claimcheck.ClaimCheckNames.of(hostile, "mp4"))
                        .hasSize(4);
                assertThat(Files.list(tmp.getParent()).map(p -> p.getFileName().toString()).toList()).doesNotContain(
                        "escape.mp4");
                try (var claims = Files.list(tmp.resolve("claims"))) {
                    Path claimed = claims.filter(p -> p.getFileName().toString().startsWith("j-2-")).findFirst().orElseThrow();
                    assertThat(videos.resolve("j-2.gif")).hasSameBinaryContentAs(claimed);
                }
            }
        }
    }
}
