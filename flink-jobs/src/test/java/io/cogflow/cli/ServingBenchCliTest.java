package io.cogflow.cli;

import io.cogflow.model.pipeline.BatchProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The serving benchmarks end to end on the plumbing model with tiny settings: a real broker and MiniCluster per
 * run, every request answered, numbers and plots written. Not timed: the numbers are whatever this machine gives.
 */
class ServingBenchCliTest {

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = Cogflow.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        System.out.println(out);
        assertThat(exit).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void profileThenLoadWithTheAdaptivePolicyPlannedFromIt(@TempDir Path dir) throws Exception {
        Path model = io.cogflow.job.TestModels.plumbing();
        Path profile = dir.resolve("profile.json");
        run("bench", "profile", "--model", model.toString(), "--batch", "1,2", "--steps", "2", "--runs", "1",
                "--preset", "none", "--min-runs", "1", "--min-seconds", "0", "--out", profile.toString());
        BatchProfile p = BatchProfile.read(profile);
        assertThat(p.buckets()).containsKeys("64x64x9", "96x64x9", "128x128x17");
        assertThat(p.steps()).isEqualTo(2);

        Path config = dir.resolve("job.yaml");
        Files.writeString(config, "batching:\n  policy: adaptive\n  profile: " + profile + "\n"
                + "  latency_target_ms: 5000\n  defaults: {max_batch: 2, max_wait_ms: 300}\n");
        Path plot = dir.resolve("load.png");
        String text = run("bench", "load", "--config", config.toString(), "--model", model.toString(), "--steps",
                "2", "--policies", "fixed,adaptive", "--loads", "0.5", "--requests", "6", "--max-seconds", "10",
                "--capacity-requests", "6", "--work", dir.resolve("work").toString(), "--plot", plot.toString());
        assertThat(text).containsPattern("capacity \\(burst of 6, policy adaptive\\): [0-9.]+ videos/s");
        // every request of both levels came back
        Matcher done = Pattern.compile("(fixed|adaptive) +50% .* (\\d+)/(\\d+) ").matcher(text);
        int levels = 0;
        while (done.find()) {
            assertThat(done.group(2)).isEqualTo(done.group(3));
            levels++;
        }
        assertThat(levels).isEqualTo(2);
        assertThat(ImageIO.read(plot.toFile()).getWidth()).isPositive();
    }

    @Test
    void aBacklogIsDrainedWithTheHeapReported(@TempDir Path dir) throws Exception {
        Path model = io.cogflow.job.TestModels.plumbing();
        Path config = dir.resolve("job.yaml");
        Files.writeString(config, "batching: {policy: fixed, defaults: {max_batch: 4, max_wait_ms: 200}}\n");
        String text = run("bench", "backlog", "--model", model.toString(), "--requests", "40", "--steps", "1",
                "--seconds", "120", "--config", config.toString(), "--work", dir.toString());
        assertThat(text).contains("queued 40 requests in Kafka").containsPattern("peak used [0-9]+ MiB")
                .contains("drained 40 of 40");
    }
}
