package io.cogflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cogflow.model.pipeline.BatchProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The serving benchmarks end to end on the plumbing model with tiny settings: a real broker and MiniCluster per
 * run, every request answered, numbers and plots written. Not timed: the numbers are whatever this machine gives.
 * Most runs use --json, so both outputs are checked: the document on stdout, the text on stderr.
 */
class ServingBenchCliTest {

    private static CliRun run(String... args) {
        CliRun run = CliRun.of(args);
        System.out.println(run.out());
        System.out.println(run.err());
        run.succeeded();
        return run;
    }

    @Test
    void profileThenLoadWithTheAdaptivePolicyPlannedFromIt(@TempDir Path dir) throws Exception {
        Path model = io.cogflow.job.TestModels.plumbing();
        Path profile = dir.resolve("profile.json");
        CliRun measured = run("bench", "profile", "--model", model.toString(), "--batch", "1,2", "--steps", "2",
                "--runs", "1", "--preset", "none", "--min-runs", "1", "--min-seconds", "0", "--out",
                profile.toString(), "--json");
        BatchProfile p = BatchProfile.read(profile);
        assertThat(p.buckets()).containsKeys("64x64x9", "96x64x9", "128x128x17");
        assertThat(p.steps()).isEqualTo(2);
        JsonNode doc = JsonDocument.parse(measured.out());
        assertThat(doc.get("profile_file").asText()).isEqualTo(profile.toString());
        assertThat(doc.get("plot_file").isNull()).isTrue();
        assertThat(doc.get("transformers")).isEmpty();
        assertThat(JsonDocument.number(doc, "matmul_gflops")).isPositive();
        assertThat(doc.get("buckets")).hasSize(6);
        JsonNode row = doc.get("buckets").get(1);
        assertThat(row.get("bucket").asText()).isEqualTo("64x64x9");
        assertThat(JsonDocument.number(row.get("point"), "batch")).isEqualTo(2);
        assertThat(JsonDocument.number(row.get("point"), "batch_ms")).isPositive();
        assertThat(JsonDocument.number(row, "videos_per_second")).isPositive();
        assertThat(JsonDocument.number(row, "step_ms")).isPositive();
        assertThat(JsonDocument.number(row, "gflops")).isPositive();
        assertThat(measured.err()).contains("ms/video").contains("profile written to");

        Path config = dir.resolve("job.yaml");
        Files.writeString(config, "batching:\n  policy: adaptive\n  profile: " + profile + "\n"
                + "  latency_target_ms: 5000\n  defaults: {max_batch: 2, max_wait_ms: 300}\n");
        Path plot = dir.resolve("load.png");
        CliRun load = run("bench", "load", "--config", config.toString(), "--model", model.toString(), "--steps",
                "2", "--policies", "fixed,adaptive,continuous", "--loads", "0.5", "--requests", "6", "--max-seconds",
                "10", "--capacity-seconds", "8", "--work", dir.resolve("work").toString(), "--plot", plot.toString(),
                "--json");
        String text = load.err();
        assertThat(text).containsPattern("capacity [0-9.]+ videos/s: sustained throughput with policy fixed");
        // every request of every level came back
        Matcher done = Pattern.compile("(fixed|adaptive|continuous) +50% .* (\\d+)/(\\d+) ").matcher(text);
        int levels = 0;
        while (done.find()) {
            assertThat(done.group(2)).isEqualTo(done.group(3));
            levels++;
        }
        assertThat(levels).isEqualTo(3);
        assertThat(ImageIO.read(plot.toFile()).getWidth()).isPositive();
        JsonNode report = JsonDocument.parse(load.out()).get("report");
        assertThat(JsonDocument.number(report.get("capacity"), "per_second")).isPositive();
        assertThat(report.get("levels")).hasSize(3);
        for (JsonNode level : report.get("levels")) {
            assertThat(level.get("policy").asText()).isIn("fixed", "adaptive", "continuous");
            // what `cogflow simulate --validate` replays
            assertThat(level.get("arrivals")).hasSize((int) JsonDocument.number(level, "sent"));
            assertThat(JsonDocument.number(level, "load")).isEqualTo(0.5);
            assertThat(JsonDocument.number(level, "completed")).isEqualTo(JsonDocument.number(level, "sent"));
            assertThat(JsonDocument.number(level, "failed")).isZero();
            assertThat(JsonDocument.number(level.get("latency_ms"), "p95")).isPositive();
            assertThat(JsonDocument.number(level.get("queue_ms"), "count")).isEqualTo(JsonDocument.number(level,
                    "completed"));
            assertThat(JsonDocument.number(level, "mean_batch")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aBacklogIsDrainedWithTheHeapReported(@TempDir Path dir) throws Exception {
        Path model = io.cogflow.job.TestModels.plumbing();
        Path config = dir.resolve("job.yaml");
        Files.writeString(config, "batching: {policy: fixed, defaults: {max_batch: 4, max_wait_ms: 200}}\n");
        CliRun r = run("bench", "backlog", "--model", model.toString(), "--requests", "40", "--steps", "1",
                "--seconds", "120", "--config", config.toString(), "--work", dir.toString(), "--json");
        assertThat(r.err()).contains("queued 40 requests in Kafka").containsPattern("peak used [0-9]+ MiB")
                .contains("drained 40 of 40");
        JsonNode doc = JsonDocument.parse(r.out());
        assertThat(doc.get("batching_policy").asText()).isEqualTo("fixed");
        JsonNode report = doc.get("report");
        assertThat(JsonDocument.number(report, "queued")).isEqualTo(40);
        assertThat(JsonDocument.number(report, "drained")).isEqualTo(40);
        assertThat(JsonDocument.number(report, "peak_used_mib")).isPositive();
        JsonNode sample = report.get("samples").get(0);
        assertThat(JsonDocument.number(sample, "seconds")).isPositive();
        assertThat(JsonDocument.number(sample, "used_mib")).isPositive();
        assertThat(sample.has("live_after_gc_mib")).isTrue();
        assertThat(sample.get("results").isInt()).isTrue();
    }

    @Test
    void pipelineEfficiencyComparesTheSameRequestsBareAndThroughKafka(@TempDir Path dir) throws Exception {
        Path model = io.cogflow.job.TestModels.plumbing();
        Path config = dir.resolve("job.yaml");
        Files.writeString(config, "batching: {policy: fixed, defaults: {max_batch: 1, max_wait_ms: 100}}\n");
        CliRun r = run("bench", "pipeline", "--model", model.toString(), "--config", config.toString(), "--batch", "1",
                "--requests", "3", "--steps", "1", "--work", dir.toString(), "--json");
        assertThat(r.err()).contains("pipeline efficiency:");
        JsonNode doc = JsonDocument.parse(r.out());
        assertThat(doc.get("buckets")).hasSize(3);
        JsonNode report = doc.get("report");
        assertThat(JsonDocument.number(report, "requests")).isEqualTo(3);
        assertThat(JsonDocument.number(report, "failed")).isZero();
        double bare = (JsonDocument.number(report, "bare_before") + JsonDocument.number(report, "bare_after")) / 2;
        assertThat(JsonDocument.number(report, "bare")).isEqualTo(bare);
        assertThat(JsonDocument.number(report, "efficiency")).isEqualTo(JsonDocument.number(report, "pipeline") / bare);
        assertThat(report.has("steady_efficiency")).isTrue();
    }

    /**
     * The cold-start benchmark runs the real demo (bundled model, 7 requests) with --json in a fresh JVM and reads
     * its document; this runs the benchmark itself in a fresh JVM too, as a user does, with the repository as home.
     */
    @Test
    void coldStartReadsTheDemosJsonFromAFreshJvm(@TempDir Path dir) throws Exception {
        Path root = Path.of(System.getProperty("cogflow.root", "..")).toAbsolutePath().normalize();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(List.of(java, "-Dcogflow.home=" + root, "-cp",
                System.getProperty("java.class.path"), Cogflow.class.getName(), "bench", "cold-start", "--runs", "1",
                "--work", dir.toString(), "--json")).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        JsonNode doc = JsonDocument.parse(out);
        JsonNode run = doc.get("runs").get(0);
        double launch = JsonDocument.number(run, "launch_to_first_result_seconds");
        double inJvm = JsonDocument.number(run, "in_jvm_first_result_seconds");
        // the demo's JVM started after the launch, so its own clock shows less, and the first result came after
        // the broker was up and before everything was done
        assertThat(launch).isGreaterThan(inJvm);
        assertThat(inJvm).isGreaterThan(JsonDocument.number(run, "broker_up_seconds"));
        assertThat(JsonDocument.number(run, "all_done_seconds")).isGreaterThan(inJvm);
        assertThat(JsonDocument.number(run, "model_load_seconds")).isPositive();
        assertThat(doc.get("median")).isEqualTo(run);
        assertThat(Files.readString(err)).contains("in-JVM first s");
        // the demo's own text went to its log, its videos next to it
        assertThat(dir.resolve("cold-start-1/demo.log")).content().contains("done in").contains("demo-7");
        assertThat(dir.resolve("cold-start-1/demo-1.mp4")).exists();
    }
}
