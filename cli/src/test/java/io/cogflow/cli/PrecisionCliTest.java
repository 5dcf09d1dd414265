package io.cogflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cogflow.model.export.ComputePrecision;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.testing.Golden;
import io.cogflow.model.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code export --compute}, {@code parity pipeline --compute} and {@code bench precision} as a user runs them. */
class PrecisionCliTest {
    @TempDir
    Path tmp;

    @Test
    void exportComputesInBfloat16AndParityChecksItAtTheBf16Tolerance() {
        Path src = TinyModels.assemble(tmp.resolve("src"), "cogvideox_2b_tiny");
        Path model = tmp.resolve("bf16");
        String out = CliRun.of("export", "--from", src.toString(), "--to", model.toString(), "--size", "64x64x9",
                "--compute", "bfloat16").succeeded();
        assertThat(out).contains("as bfloat16").contains("compute     bfloat16");
        assertThat(ModelManifest.readVerified(model).compute()).isEqualTo(ComputePrecision.BFLOAT16);

        String golden = Golden.path("pipeline_2b_ddim/golden.safetensors").toString();
        CliRun exported = CliRun.of("parity", "pipeline", "--model", model.toString(), "--golden", golden);
        assertThat(exported.exit()).as(exported.err()).isZero();
        assertThat(exported.out()).contains("compute bfloat16").contains("tolerance 3.0e-02").contains("PASS");
        // a diffusers folder is exported on the way, in the precision asked for
        CliRun folder = CliRun.of("parity", "pipeline", "--model", src.toString(), "--golden", golden,
                "--compute", "bfloat16");
        assertThat(folder.exit()).as(folder.err()).isZero();
        assertThat(folder.out()).contains("compute bfloat16").contains("PASS");
    }

    @Test
    void float16IsRefusedForThe5bFamilyAndContradictoryStorageToo() {
        Path src = TinyModels.assemble(tmp.resolve("src"), "cogvideox_5b_tiny");
        CliRun fp16 = CliRun.of("export", "--from", src.toString(), "--to", tmp.resolve("a").toString(),
                "--compute", "float16");
        assertThat(fp16.exit()).isNotZero();
        assertThat(fp16.err()).contains("NaN or black video");
        CliRun mixed = CliRun.of("export", "--from", src.toString(), "--to", tmp.resolve("b").toString(),
                "--compute", "bfloat16", "--dtype", "float32");
        assertThat(mixed.exit()).isNotZero();
        assertThat(mixed.err()).contains("contradicts");
    }

    @Test
    void benchPrecisionComparesBothExportsInOneRun() {
        String out = CliRun.of("bench", "precision", "--cases", "tiny-2b", "--batch", "2", "--min-runs", "1",
                "--min-seconds", "0", "--profile", "1", "--json").succeeded();
        JsonNode doc = JsonDocument.parse(out);
        JsonNode row = doc.path("rows").get(0);
        assertThat(row.path("name").asText()).isEqualTo("tiny-2b");
        assertThat(row.path("bfloat16").path("denoise_casts").asLong())
                .isGreaterThan(row.path("float32").path("denoise_casts").asLong());
        // bf16 output differs from float32's by bf16 rounding: more than float32 noise, far less than a different
        // model
        assertThat(JsonDocument.number(row, "denoise_rel_l2")).isBetween(1e-4, 5e-2);
        assertThat(JsonDocument.number(row, "denoise_speedup1")).isPositive();
        assertThat(row.path("bfloat16_kernels").toString()).contains("_MklBatchMatMulV2").contains("Cast");
        assertThat(row.path("float32_kernels").toString()).contains("BatchMatMulV3");
        assertThat(JsonDocument.number(doc.path("matmul"), "bfloat16_gflops")).isPositive();
    }
}
