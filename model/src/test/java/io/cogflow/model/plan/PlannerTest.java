package io.cogflow.model.plan;

import io.cogflow.model.pipeline.LatentGeometry;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.testing.ReferenceConfigs;
import io.cogflow.model.transformer.AttentionBudget;
import io.cogflow.model.transformer.AttentionMemory;
import io.cogflow.model.transformer.LatentGrid;
import io.cogflow.model.transformer.TransformerConfig;
import io.cogflow.model.transformer.TransformerFlops;
import io.cogflow.model.transformer.TransformerParameters;
import io.cogflow.model.export.ExportOptions;
import io.cogflow.model.export.ModelExporter;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;

/** The planner's arithmetic on real graphs: full-size CogVideoX-2B, the mid config and the shipped demo model. */
class PlannerTest {
    private static final DeviceSpec H100 = DeviceTable.lookup("h100", () -> {
        throw new AssertionError("no probe for a GPU");
    });
    /** A device with round numbers and no TF32, so nothing depends on a measurement. */
    private static final DeviceSpec PLAIN = new DeviceSpec("plain", 1e12, 0, 1e11, 1e11, 1e10, 0, 1e10,
            64_000_000_000L, 1e-6, 0, "test");

    private static PlanReport plan(Planner p, DeviceSpec d, Compute c, Fusion f, long batch) {
        return p.plan(new PlanRequest(d, c, f, batch, 50, 1, 0, 0));
    }

    @Test
    void fullSize2bGraphMatchesTheAnalyticCountsAndEachOptionCutsTraffic() {
        TransformerConfig c = TransformerConfig.load(ReferenceConfigs.path("cogvideox-2b"));
        DenoiseGraph graph = DenoiseGraph.fromConfig(c, new VideoSize(720, 480, 49), AttentionBudget.DEFAULT);
        Planner p = new Planner(graph);
        LatentGrid grid = LatentGrid.of(c, 13, 60, 90);
        PlanReport tf32 = plan(p, H100, Compute.TF32, Fusion.NONE, 2);
        // products counted op by op from the graph equal the closed form, also at a batch the fit never saw
        assertThat(tf32.productFlops()).isCloseTo(TransformerFlops.forward(c, 2, grid, 226), withPercentage(1e-6));
        assertThat(plan(p, H100, Compute.TF32, Fusion.NONE, 5).productFlops())
                .isCloseTo(TransformerFlops.forward(c, 5, grid, 226), withPercentage(1e-6));
        assertThat(tf32.parameters()).isEqualTo(TransformerParameters.count(c));
        assertThat(tf32.weightBytes()).isEqualTo(4.0 * TransformerParameters.count(c));
        PlanReport bf16 = plan(p, H100, Compute.BFLOAT16, Fusion.NONE, 2);
        PlanReport xla = plan(p, H100, Compute.BFLOAT16, Fusion.XLA, 2);
        PlanReport fused = plan(p, H100, Compute.BFLOAT16, Fusion.XLA_ATTENTION, 2);
        assertThat(bf16.weightBytes()).isEqualTo(2.0 * TransformerParameters.count(c));
        assertThat(new double[]{tf32.bytesMoved(), bf16.bytesMoved(), xla.bytesMoved(), fused.bytesMoved()})
                .isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(new double[]{tf32.stepSeconds(), bf16.stepSeconds(), xla.stepSeconds(), fused.stepSeconds()})
                .isSortedAccordingTo((a, b) -> Double.compare(b, a));
        // unfused, attention dominates: BatchMatMul and Softmax are the two costliest op types
        assertThat(tf32.byType().subList(0, 2)).extracting(PlanReport.TypeCost::type)
                .containsExactlyInAnyOrder("BatchMatMulV3", "Softmax");
        // fused attention never holds a chunk's scores
        assertThat(fused.peakActivationBytes()).isLessThan(bf16.peakActivationBytes());
        assertThat(fused.maxBatch()).isGreaterThan(bf16.maxBatch());
        // no roofline beats the peak: the step takes at least the products at the bf16 rate
        assertThat(fused.stepSeconds()).isGreaterThan(fused.productFlops() / H100.bf16Flops());
    }

    @Test
    void chunkedAttentionHoldsOneChunkOfScoresAtATime() {
        TransformerConfig mid = PlannerCpuValidationTest.MID;
        VideoSize size = new VideoSize(256, 256, 9);
        long seq = 994;
        long heads = 8;
        double scores = heads * seq * seq * 4.0;
        PlanReport whole = plan(new Planner(DenoiseGraph.fromConfig(mid, size, AttentionBudget.DEFAULT)), PLAIN,
                Compute.FLOAT32, Fusion.NONE, 1);
        // ten chunks of about a hundred query rows, chained by control edges
        PlanReport chunked = plan(new Planner(DenoiseGraph.fromConfig(mid, size,
                new AttentionBudget(new AttentionMemory.Explicit((long) (heads * seq * 100 * AttentionBudget.SCORE_BYTES)), 1))), PLAIN, Compute.FLOAT32, Fusion.NONE, 1);
        // unchunked, one layer's scores and probabilities are live together at its softmax
        assertThat(whole.peakActivationBytes()).isGreaterThan(2 * scores);
        // chunked, at most two chunks' worth: the peak moves elsewhere (the feed-forward) and falls by a whole
        // score matrix or more
        assertThat(whole.peakActivationBytes() - chunked.peakActivationBytes()).isGreaterThan(0.9 * scores);
        assertThat(chunked.productFlops()).isCloseTo(whole.productFlops(), withPercentage(1e-6));
        // a bigger batch holds proportionally more, and the largest batch that fits is where memory runs out
        PlanReport four = plan(new Planner(DenoiseGraph.fromConfig(mid, size, AttentionBudget.DEFAULT)), PLAIN,
                Compute.FLOAT32, Fusion.NONE, 4);
        assertThat(four.peakActivationBytes()).isGreaterThan(3 * whole.peakActivationBytes());
        double resident = whole.weightBytes() + whole.constantBytes();
        double perRow = (four.peakActivationBytes() - whole.peakActivationBytes()) / 3;
        assertThat((double) whole.maxBatch()).isCloseTo((PLAIN.memoryBytes() - resident) / perRow,
                withPercentage(5));
    }

    @Test
    void exportedDemoModelPlansFromItsGraphAndSizes() {
        DenoiseGraph graph = DenoiseGraph.exported(PlannerCpuValidationTest.demoModel(), new VideoSize(64, 64, 17));
        PlanReport r = plan(new Planner(graph), PLAIN, Compute.FLOAT32, Fusion.NONE, 2);
        LatentGeometry g = graph.geometry();
        assertThat(r.productFlops()).isCloseTo(TransformerFlops.forward(graph.config(), 2,
                LatentGrid.of(graph.config(), g.paddedFrames(), g.latentHeight(), g.latentWidth()),
                graph.textLength()), withPercentage(1e-6));
        // the weights as the export stores them: the shipped demo model is a bfloat16 export
        double bytesPerWeight = ModelManifest.read(PlannerCpuValidationTest.demoModel()).dtype().equals("float32")
                ? 4 : 2;
        assertThat(r.weightBytes()).isEqualTo(bytesPerWeight * TransformerParameters.count(graph.config()));
        // thousands of small ops: dispatch is a visible share of the step
        assertThat(r.ops()).isGreaterThan(1000);
        assertThat(r.overheadSeconds()).isCloseTo(r.ops() * PLAIN.opSeconds(), withPercentage(1e-6));
        assertThatThrownBy(() -> DenoiseGraph.exported(PlannerCpuValidationTest.demoModel(),
                new VideoSize(128, 128, 17))).hasMessageContaining("exported for [64x64x17]");
    }

    @Test
    void refusesWhatTheDeviceOrModelCannotDo(@TempDir Path dir) {
        // a float32 export (the shipped demo model is a bfloat16 one, which has no float32 products for TF32)
        Path f32 = dir.resolve("model");
        ModelExporter.export(TinyModels.assemble(dir.resolve("src"), "cogvideox_2b_tiny"), f32,
                new ExportOptions("float32", List.of(new VideoSize(64, 64, 9)), AttentionBudget.DEFAULT));
        Planner float32 = new Planner(DenoiseGraph.exported(f32, null));
        assertThatThrownBy(() -> plan(float32, PLAIN, Compute.TF32, Fusion.NONE, 2)).hasMessageContaining("no TF32");
        assertThatThrownBy(() -> plan(float32, H100, Compute.BFLOAT16, Fusion.NONE, 2))
                .hasMessageContaining("export with --compute bfloat16");
        assertThatThrownBy(() -> DeviceTable.lookup("v100", () -> PLAIN)).hasMessageContaining("h100");
        assertThatThrownBy(() -> new PlanRequest(H100, Compute.TF32, Fusion.NONE, 3, 50, 2, 0, 0))
                .hasMessageContaining("two rows per video");
    }

    @Test
    void anExportWithBf16StorageAndTwoSizesPlansEachSizeAndPaysForTheWideningReads(@TempDir Path dir) {
        Path src = TinyModels.assemble(dir.resolve("src"), "cogvideox_2b_tiny");
        Path model = dir.resolve("model");
        ModelExporter.export(src, model, new ExportOptions("bfloat16", List.of(new VideoSize(64, 64, 9),
                new VideoSize(128, 64, 9)), AttentionBudget.DEFAULT));
        DenoiseGraph wide = DenoiseGraph.exported(model, new VideoSize(128, 64, 9));
        DenoiseGraph small = DenoiseGraph.exported(model, new VideoSize(64, 64, 9));
        assertThat(wide.geometry().latentWidth()).isEqualTo(16);
        PlanReport r = plan(new Planner(wide), PLAIN, Compute.FLOAT32, Fusion.NONE, 2);
        assertThat(r.weightBytes()).isEqualTo(2.0 * TransformerParameters.count(wide.config()));
        // every weight read is widened to float32 on each call: one Cast per parameter, moving 6 bytes per element
        PlanReport.TypeCost casts = r.byType().stream().filter(t -> t.type().equals("Cast")).findFirst()
                .orElseThrow();
        assertThat(casts.bytes()).isGreaterThanOrEqualTo(6.0 * TransformerParameters.count(wide.config()));
        assertThat(r.productFlops()).isGreaterThan(
                plan(new Planner(small), PLAIN, Compute.FLOAT32, Fusion.NONE, 2).productFlops());
    }
}
