package io.cogflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cogflow simulate} as a user runs it: the demo CPU profile and the demo config, text and JSON. */
class SimulateCliTest {
    private static final Path ROOT = Path.of(System.getProperty("cogflow.root", ".."));

    private static String[] args(String... more) {
        String[] base = {"simulate", "--profile", ROOT.resolve("configs/profiles/demo-cpu.json").toString(),
                "--config", ROOT.resolve("configs/demo.yaml").toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void aRateRunPerPolicyAsJson() throws Exception {
        CliRun r = CliRun.of(args("--slots", "2", "--policy", "fixed,continuous", "--rate", "2", "--requests", "300",
                "--steps-mix", "25:0.5,8:0.5", "--json"));
        JsonNode n = new ObjectMapper().readTree(r.succeeded());
        assertThat(n.get("checkpoint_ms").asDouble()).isEqualTo(1000); // demo.yaml's checkpoint_interval_ms
        assertThat(n.get("runs")).hasSize(2);
        JsonNode cont = n.get("runs").get(1);
        assertThat(cont.get("policy").asText()).isEqualTo("continuous");
        assertThat(cont.get("latency_ms").get("p95").asDouble()).isPositive();
        assertThat(cont.get("work").get("step").asLong()).isPositive();
        assertThat(cont.get("work").get("generate").asLong()).isZero();
        assertThat(n.get("runs").get(0).get("work").get("generate").asLong()).isPositive();
        assertThat(r.err()).contains("e2e p50");
    }

    @Test
    void aSweepPrintsCapacities() {
        String out = CliRun.of(args("--policy", "none,adaptive", "--routing", "rebalance,bucket-affine", "--loads",
                "0.5,0.9", "--requests", "300")).succeeded();
        assertThat(out).contains("capacity none", "capacity adaptive", "bucket-affine", "90%");
    }

    @Test
    void refusesTwoModesAndASizeTheProfileLacks() {
        CliRun both = CliRun.of(args("--rate", "1", "--loads", "0.5"));
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("exactly one of --rate, --loads, --trace and --validate");
        CliRun size = CliRun.of(args("--rate", "1", "--mix", "720x480x49"));
        assertThat(size.exit()).isEqualTo(Cogflow.ERROR);
        assertThat(size.err()).contains("no bucket 720x480x49");
    }

    /**
     * A load report whose one level was "measured" as requests 10 s apart, each alone: the simulator predicts
     * about the profile's batch-1 time plus the checkpoint rounding (half of 500 ms on average), so that p50 is
     * within 20 % only if the replay really runs those arrivals through the slot, and five times it is not.
     */
    @Test
    void validateReplaysALoadReportsArrivalsAndJudgesThePrediction(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        StringBuilder arrivals = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            arrivals.append(i == 0 ? "" : ",").append("{\"sent_ms\": ").append(10_000 * i)
                    .append(", \"size\": \"64x64x17\", \"steps\": 25}");
        }
        Path good = dir.resolve("good.json");
        Path bad = dir.resolve("bad.json");
        String level = "{\"report\": {\"levels\": [{\"policy\": \"none\", \"load\": 0.1, \"latency_ms\": "
                + "{\"p50\": %s, \"p95\": %s}, \"arrivals\": [" + arrivals + "]}]}}";
        double alone = io.cogflow.model.pipeline.BatchProfile.read(ROOT.resolve("configs/profiles/demo-cpu.json"))
                .batchMs(io.cogflow.model.pipeline.VideoSize.parse("64x64x17"), 1) + 250;
        java.nio.file.Files.writeString(good, String.format(java.util.Locale.ROOT, level, alone, alone));
        java.nio.file.Files.writeString(bad, String.format(java.util.Locale.ROOT, level, 5 * alone, 5 * alone));
        CliRun ok = CliRun.of(args("--validate", good.toString(), "--checkpoint-ms", "500", "--json"));
        JsonNode v = new ObjectMapper().readTree(ok.succeeded()).get("validations").get(0);
        assertThat(v.get("predicted").get("requests").asInt()).isEqualTo(20);
        assertThat(v.get("predicted").get("latency_ms").get("p50").asDouble()).isBetween(0.8 * alone, 1.2 * alone);
        // the best case replays the same arrivals, each video at the profile's best per-video cost: never slower
        JsonNode best = v.get("best_case");
        assertThat(best.get("requests").asInt()).isEqualTo(20);
        assertThat(best.get("latency_ms").get("p50").asDouble()).isPositive()
                .isLessThanOrEqualTo(v.get("predicted").get("latency_ms").get("p50").asDouble());
        assertThat(ok.err()).contains("1 of 1 levels predicted within 20 %").contains("best p95");
        CliRun off = CliRun.of(args("--validate", bad.toString(), "--checkpoint-ms", "500"));
        assertThat(off.exit()).isEqualTo(1);
        assertThat(off.out()).contains("NO");
    }
}
