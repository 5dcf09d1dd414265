package io.cogflow.model.export;

import io.cogflow.model.pipeline.VideoGenerator;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.testing.TinyModels;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.transformer.AttentionBudget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The serving loader on a real exported tiny model: what each load option does to the graph TensorFlow runs, and
 * that the model computes the same with it (XLA within float32 round-off, the rest exactly).
 */
class ServingGraphTest {
    private static final VideoSize SIZE = VideoSize.parse("32x32x9");
    private static final SessionOptions SESSION = new SessionOptions(2, 1);
    private static Path model;

    @BeforeAll
    static void export() throws IOException {
        Path dir = Files.createTempDirectory("cogflow-serving-graph-test");
        Path src = TinyModels.assemble(dir.resolve("src"), "cogvideox_5b_tiny");
        model = ModelExporter.export(src, dir.resolve("out"), new ExportOptions("float32", List.of(SIZE),
                AttentionBudget.DEFAULT)).dir();
    }

    private static ExportedModel load(ModelLoadOptions options) {
        return ExportedModel.load(model, SESSION, ModelTrust.ANY, options);
    }

    @Test
    void xlaMarksExactlyTheChosenSignatureKindsAndTheyComputeTheSame() {
        ModelLoadOptions plain = ModelLoadOptions.defaults().withXla(XlaSignatures.NONE);
        try (ExportedModel none = load(plain); ExportedModel dflt = load(ModelLoadOptions.defaults());
             ExportedModel all = load(plain.withXla(new XlaSignatures(EnumSet.allOf(SignatureKind.class))))) {
            ModelManifest.Size size = none.manifest().sizes().get(0);
            assertThat(marked(none.servingGraph(), size.denoise())).isZero();
            assertThat(marked(dflt.servingGraph(), size.denoise())).isEqualTo(ops(dflt.servingGraph(), size.denoise()));
            assertThat(marked(dflt.servingGraph(), size.decode())).isZero();
            assertThat(marked(dflt.servingGraph(), ModelManifest.ENCODE_TEXT)).isZero();
            assertThat(marked(all.servingGraph(), size.decode())).isEqualTo(ops(all.servingGraph(), size.decode()));

            HostTensor latents = random(new long[]{2, size.paddedFrames(), none.manifest().latentChannels(),
                    size.latentHeight(), size.latentWidth()}, 1);
            HostTensor text = random(new long[]{2, none.manifest().textLength(), none.manifest().textEmbedDim()}, 2);
            long[] t = {999, 400};
            HostTensor reference = none.denoise(latents, t, text);
            assertThat(maxDiff(dflt.denoise(latents, t, text), reference)).isLessThan(1e-4);
            assertThat(maxDiff(all.denoise(latents, t, text), reference)).isLessThan(1e-4);
            HostTensor z = random(new long[]{1, none.manifest().latentChannels(), size.latentFrames(),
                    size.latentHeight(), size.latentWidth()}, 3);
            assertThat(maxDiff(all.decode(z, size).video(), none.decode(z, size).video())).isLessThan(1e-4);
            long[][] ids = {{5, 6, 7, 1}, {9, 1, 0, 0}};
            long[][] padded = new long[2][none.manifest().textLength()];
            for (int b = 0; b < 2; b++) {
                System.arraycopy(ids[b], 0, padded[b], 0, 4);
            }
            assertThat(maxDiff(all.encodeText(padded), none.encodeText(padded))).isLessThan(1e-4);
        }
    }

    @Test
    void theTextEncoderIsPinnedToTheCpuWhenAskedAndStillRuns() {
        try (ExportedModel onCpu = load(ModelLoadOptions.defaults().withTextEncoder(TextEncoderDevice.CPU));
             ExportedModel withModel = load(ModelLoadOptions.defaults())) {
            GraphDef g = onCpu.servingGraph();
            List<NodeDef> encoder = g.getNodeList().stream().filter(n -> n.getName().startsWith("encode_text/")
                    || n.getName().startsWith("text_encoder/")).toList();
            assertThat(encoder).isNotEmpty().allMatch(n -> n.getDevice().equals("/device:CPU:0"));
            assertThat(encoder).anyMatch(n -> n.getOp().equals("VarHandleOp"));
            assertThat(g.getNodeList()).filteredOn(n -> n.getName().startsWith("transformer/")
                    || n.getName().startsWith("denoise_")).isNotEmpty().allMatch(n -> n.getDevice().isEmpty());
            assertThat(withModel.servingGraph().getNodeList()).allMatch(n -> n.getDevice().isEmpty()
                    || n.getName().startsWith(GroupedRestore.SCOPE + "/"));
            long[][] ids = new long[3][onCpu.manifest().textLength()];
            ids[0][0] = 17;
            ids[1][1] = 4;
            assertThat(onCpu.encodeText(ids).data()).containsExactly(withModel.encodeText(ids).data());
        }
    }

    @Test
    void restoringInSmallGroupsGivesTheSameWeights() {
        ModelLoadOptions plain = ModelLoadOptions.defaults().withXla(XlaSignatures.NONE);
        long limit = 64 * 1024;
        try (ExportedModel oneShot = load(plain.withRestoreGroupBytes(Long.MAX_VALUE));
             ExportedModel grouped = load(plain.withRestoreGroupBytes(limit))) {
            assertThat(oneShot.restoreGroups()).hasSize(1);
            List<Long> groups = grouped.restoreGroups();
            assertThat(groups).hasSizeGreaterThan(3);
            assertThat(groups.stream().mapToLong(Long::longValue).sum()).isEqualTo(oneShot.restoreGroups().get(0));
            List<GroupedRestore.Variable> variables = GroupedRestore.variables(
                    ServingGraph.metaGraph(model).getGraphDef(), ServingGraph.metaGraph(model).getSaverDef());
            long largest = variables.stream().mapToLong(GroupedRestore.Variable::bytes).max().orElseThrow();
            assertThat(groups).allMatch(b -> b <= Math.max(limit, largest));
            ModelManifest.Size size = oneShot.manifest().sizes().get(0);
            HostTensor latents = random(new long[]{1, size.paddedFrames(), oneShot.manifest().latentChannels(),
                    size.latentHeight(), size.latentWidth()}, 4);
            HostTensor text = random(new long[]{1, oneShot.manifest().textLength(),
                    oneShot.manifest().textEmbedDim()}, 5);
            assertThat(grouped.denoise(latents, new long[]{500}, text).data())
                    .containsExactly(oneShot.denoise(latents, new long[]{500}, text).data());
            long[][] ids = new long[1][oneShot.manifest().textLength()];
            ids[0][0] = 3;
            assertThat(grouped.encodeText(ids).data()).containsExactly(oneShot.encodeText(ids).data());
        }
    }

    @Test
    void warmUpRunsEveryShapeABatchOfUpToTheMaximumCanGive() {
        try (VideoGenerator generator = VideoGenerator.load(model, SESSION, ModelLoadOptions.defaults())) {
            ExportedModel.WarmUp w = generator.warmUp(2);
            // encode_text at 1..4 rows (two requests with guidance); denoise (XLA) at 1..4 rows, twice each for
            // TensorFlow's lazy compilation; decode at 1..2
            assertThat(w.calls()).isEqualTo(4 + 2 * 4 + 2);
            assertThat(w.millis()).isPositive();
        }
    }

    @Test
    void afterTheWarmUpEveryBatchRunsCompiledOnItsFirstCall() {
        ModelLoadOptions plain = ModelLoadOptions.defaults().withXla(XlaSignatures.NONE);
        try (ExportedModel off = load(plain); ExportedModel on = load(ModelLoadOptions.defaults())) {
            ModelManifest m = on.manifest();
            ModelManifest.Size size = m.sizes().get(0);
            java.util.function.IntFunction<Double> diff = rows -> {
                HostTensor latents = random(new long[]{rows, size.paddedFrames(), m.latentChannels(),
                        size.latentHeight(), size.latentWidth()}, rows);
                HostTensor text = random(new long[]{rows, m.textLength(), m.textEmbedDim()}, 100 + rows);
                long[] t = new long[rows];
                java.util.Arrays.fill(t, 700);
                HostTensor x = on.denoise(latents, t, text);
                assertThat(x.shape()[0]).isEqualTo(rows);
                return maxDiff(x, off.denoise(latents, t, text));
            };
            // XLA's round-off tells a compiled run from TensorFlow's own kernels: the cluster's first shape is
            // compiled at once, a later new shape only on its second run (lazy compilation)
            assertThat(diff.apply(1)).isPositive();
            assertThat(diff.apply(13)).as("a new shape's first run, not compiled yet").isZero();
            List<Integer> rows = java.util.stream.IntStream.rangeClosed(1, 12).boxed().toList();
            on.warmUp(new ExportedModel.WarmUpPlan(List.of(), java.util.Map.of(size.video(),
                    new ExportedModel.SizeRows(rows, List.of()))));
            for (int r : rows) {
                // 12 row counts share 10 compiled shapes (5 and 9 run padded to 6 and 10)
                assertThat(diff.apply(r)).as("rows " + r).isPositive().isLessThan(1e-4);
            }
        }
    }

    @Test
    void anXlaSignatureIsCompiledForAtMostTenBatchSizes() {
        assertThat(XlaBatches.choose(List.of(1, 2, 3))).containsExactly(1, 2, 3);
        List<Integer> sixteen = java.util.stream.IntStream.rangeClosed(1, 16).boxed().toList();
        List<Integer> chosen = XlaBatches.choose(sixteen);
        assertThat(chosen).hasSize(XlaBatches.MAX_SHAPES).startsWith(1, 2).endsWith(16);
        for (int i = 1; i < chosen.size(); i++) {
            assertThat(chosen.get(i) - chosen.get(i - 1)).isLessThanOrEqualTo(2);
        }
    }

    private static long marked(GraphDef g, String scope) {
        return g.getNodeList().stream().filter(n -> n.getName().startsWith(scope + "/"))
                .filter(n -> n.containsAttr(XlaMarks.COMPILE) && n.getAttrOrThrow(XlaMarks.COMPILE).getB()
                        && n.getAttrOrThrow(XlaMarks.SCOPE).getS().toStringUtf8().equals(scope))
                .count();
    }

    /** Nodes of a scope XLA can take: all but the feeds. */
    private static long ops(GraphDef g, String scope) {
        return g.getNodeList().stream().filter(n -> n.getName().startsWith(scope + "/"))
                .filter(n -> !n.getOp().equals("Placeholder")).count();
    }

    private static HostTensor random(long[] shape, long seed) {
        HostTensor t = HostTensor.zeros(shape);
        Random r = new Random(seed);
        for (int i = 0; i < t.data().length; i++) {
            t.data()[i] = (float) r.nextGaussian();
        }
        return t;
    }

    private static double maxDiff(HostTensor a, HostTensor b) {
        assertThat(a.shape()).containsExactly(b.shape());
        double m = 0;
        for (int i = 0; i < a.data().length; i++) {
            m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        }
        return m;
    }
}
