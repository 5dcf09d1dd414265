package io.cogflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

/** {@code cogflow plan} as a user runs it: the shipped demo model and a reference config, text and JSON. */
class PlanCliTest {
    private static final Path ROOT = Path.of(System.getProperty("cogflow.root", ".."));

    @Test
    void exportedModelOnAGpuAsJson() throws Exception {
        CliRun r = CliRun.of("plan", "--model", ROOT.resolve("model/demo-model").toString(), "--gpu", "h100",
                "--batch", "4", "--target-videos-per-hour", "1000", "--latency-bound", "60", "--ops", "1000000",
                "--json");
        JsonNode n = new ObjectMapper().readTree(r.succeeded());
        assertThat(n.get("size").asText()).isEqualTo("64x64x17");
        assertThat(n.get("compute").asText()).isEqualTo("tf32");
        assertThat(n.get("batch").asLong()).isEqualTo(4);
        assertThat(n.get("step_seconds").asDouble()).isPositive();
        assertThat(n.get("seconds_per_video").asDouble()).isCloseTo(50 * n.get("step_seconds").asDouble() / 2,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(n.get("product_flops").asDouble()).isCloseTo(n.get("analytic_flops").asDouble(),
                withPercentage(0.01));
        assertThat(n.get("by_type").get(0).get("type").asText()).isNotBlank();
        assertThat(n.get("target").get("devices").asLong()).isPositive();
        // every op listed: their FLOPs and bytes are the totals
        double flops = 0;
        double bytes = 0;
        for (JsonNode op : n.get("top_ops")) {
            flops += op.get("flops").asDouble();
            bytes += op.get("bytes").asDouble();
        }
        assertThat(n.get("top_ops").size()).isGreaterThan(n.get("ops").asInt() / 2);
        assertThat(flops).isCloseTo(n.get("graph_flops").asDouble(), withPercentage(1e-6));
        assertThat(bytes).isCloseTo(n.get("bytes_moved").asDouble(), withPercentage(1e-6));
        assertThat(r.err()).contains("where the time goes");
    }

    @Test
    void configInBf16WithFusionAsText() {
        String out = CliRun.of("plan", "--config", ROOT.resolve("testdata/reference-configs/cogvideox-2b.json")
                .toString(), "--size", "256x256x17", "--gpu", "a100", "--compute", "bfloat16", "--fusion", "xla")
                .succeeded();
        // CogVideoX-2B: 1,693,783,872 parameters, 6.78 GB in float32 and 3.39 GB in bf16, which this plan holds
        assertThat(out).contains("1,693,783,872 parameters: 6.78 GB in float32, 3.39 GB in bf16; this plan holds "
                + "3.39 GB");
        assertThat(out).contains("compute bfloat16, fusion xla", "256x256x17", "max batch", "MatMul",
                "products (MatMul, BatchMatMul, Conv) modelled at bfloat16");
    }

    @Test
    void refusesBf16ForAFloat32Export() {
        CliRun r = CliRun.of("plan", "--model", ROOT.resolve("model/demo-model").toString(), "--gpu", "h100",
                "--compute", "bfloat16");
        assertThat(r.exit()).isEqualTo(Cogflow.ERROR);
        assertThat(r.err()).contains("export with --compute bfloat16");
    }
}
