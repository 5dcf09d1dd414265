package io.cogflow.model.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.testing.TinyModels;
import io.cogflow.model.transformer.AttentionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@code --compute bfloat16} writes into the SavedModel: which ops run in which type. */
class MixedPrecisionGraphTest {
    private static final List<VideoSize> SIZE = List.of(VideoSize.parse("64x64x9"));

    @TempDir
    Path tmp;

    @Test
    void matmulsAndConvolutionsRunInBfloat16AndStatisticsInFloat32() throws IOException {
        Path src = TinyModels.assemble(tmp.resolve("src"), "cogvideox_5b_tiny");
        Path model = ModelExporter.export(src, tmp.resolve("out"), ExportOptions.computing(ComputePrecision.BFLOAT16,
                SIZE, AttentionBudget.DEFAULT, null)).dir();
        MetaGraphDef meta = SavedModel.parseFrom(Files.readAllBytes(model.resolve("saved_model.pb"))).getMetaGraphs(0);
        GraphDef graph = meta.getGraphDef();
        Map<String, NodeDef> nodes = graph.getNodeList().stream()
                .collect(Collectors.toMap(NodeDef::getName, Function.identity()));

        assertThat(ops(graph, "BatchMatMulV3")).isEmpty();
        for (String op : List.of("MatMul", "BatchMatMulV2", "Conv3D", "Conv2D")) {
            assertThat(ops(graph, op)).as(op).isNotEmpty()
                    .allSatisfy(n -> assertThat(type(n, "T")).as(n.getName()).isEqualTo(DataType.DT_BFLOAT16));
        }
        for (String op : List.of("Softmax", "Mean", "Rsqrt", "Sin", "Cos")) {
            assertThat(ops(graph, op)).as(op).isNotEmpty()
                    .allSatisfy(n -> assertThat(type(n, "T")).as(n.getName()).isEqualTo(DataType.DT_FLOAT));
        }
        // weights are stored in bf16 and matmuls read them directly: no per-call widening in front of a matmul
        assertThat(ops(graph, "VarHandleOp")).allSatisfy(n -> assertThat(type(n, "dtype"))
                .isEqualTo(DataType.DT_BFLOAT16));
        // (the VAE's 1x1x1 convolutions are MatMuls of a reshaped weight)
        for (String op : List.of("MatMul", "Conv3D", "Conv2D")) {
            assertThat(ops(graph, op)).allSatisfy(n -> assertThat(weightSource(nodes, producer(nodes, n, 1)).getOp())
                    .as(n.getName()).isEqualTo("ReadVariableOp"));
        }
        // callers see float32: every signature tensor, and the node producing each output
        for (var sig : meta.getSignatureDefMap().values()) {
            for (TensorInfo in : sig.getInputsMap().values()) {
                assertThat(in.getDtype()).isIn(DataType.DT_FLOAT, DataType.DT_INT64);
            }
            for (TensorInfo out : sig.getOutputsMap().values()) {
                assertThat(out.getDtype()).isIn(DataType.DT_FLOAT, DataType.DT_UINT8);
                NodeDef n = nodes.get(out.getName().substring(0, out.getName().indexOf(':')));
                if (n.getAttrMap().containsKey("T")) {
                    assertThat(type(n, "T")).as(n.getName()).isIn(DataType.DT_FLOAT, DataType.DT_UINT8);
                }
            }
        }
    }

    @Test
    void theRewriteKeepsEveryNodeAndControlEdgeAndFloat32IsUntouched() throws IOException {
        Path src = TinyModels.assemble(tmp.resolve("src"), "cogvideox_2b_tiny");
        Path model = ModelExporter.export(src, tmp.resolve("out"), ExportOptions.computing(ComputePrecision.FLOAT32,
                SIZE, AttentionBudget.DEFAULT, null)).dir();
        MetaGraphDef meta = SavedModel.parseFrom(Files.readAllBytes(model.resolve("saved_model.pb"))).getMetaGraphs(0);
        GraphDef graph = meta.getGraphDef();
        assertThat(ops(graph, "BatchMatMulV3")).isNotEmpty(); // float32 exports are written as the model code builds
        assertThat(new MixedPrecisionRewrite(ComputePrecision.FLOAT32, List.of()).apply(graph)).isSameAs(graph);
        List<String> outputs = meta.getSignatureDefMap().values().stream()
                .flatMap(s -> s.getOutputsMap().values().stream()).map(TensorInfo::getName).toList();
        GraphDef rewritten = new MixedPrecisionRewrite(ComputePrecision.BFLOAT16, outputs).apply(graph);
        Map<String, NodeDef> after = rewritten.getNodeList().stream()
                .collect(Collectors.toMap(NodeDef::getName, Function.identity()));
        long controlEdges = 0;
        for (NodeDef n : graph.getNodeList()) {
            NodeDef r = after.get(n.getName());
            assertThat(r).as(n.getName()).isNotNull();
            List<String> control = n.getInputList().stream().filter(i -> i.startsWith("^")).toList();
            assertThat(r.getInputList().stream().filter(i -> i.startsWith("^")).toList()).isEqualTo(control);
            assertThat(r.getInputCount()).isEqualTo(n.getInputCount());
            controlEdges += control.size();
        }
        assertThat(controlEdges).as("the attention and decode chunks are ordered by control edges").isPositive();
        // every added node is a Cast, and each one converts between float32 and bfloat16
        java.util.Set<String> original = graph.getNodeList().stream().map(NodeDef::getName)
                .collect(Collectors.toSet());
        assertThat(rewritten.getNodeList().stream().filter(n -> !original.contains(n.getName())).toList())
                .isNotEmpty().allSatisfy(n -> {
                    assertThat(n.getOp()).isEqualTo("Cast");
                    assertThat(List.of(type(n, "SrcT"), type(n, "DstT")))
                            .containsExactlyInAnyOrder(DataType.DT_FLOAT, DataType.DT_BFLOAT16);
                });
    }

    @Test
    void theManifestRecordsTheComputePrecisionAndOlderOnesAreFloat32() throws IOException {
        Path src = TinyModels.assemble(tmp.resolve("src"), "cogvideox_2b_tiny");
        Path model = ModelExporter.export(src, tmp.resolve("out"), ExportOptions.computing(ComputePrecision.FLOAT16,
                SIZE, AttentionBudget.DEFAULT, null)).dir();
        ModelManifest m = ModelManifest.readVerified(model);
        assertThat(m.compute()).isEqualTo(ComputePrecision.FLOAT16);
        assertThat(m.dtype()).isEqualTo("float16");
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(model.resolve(ModelManifest.FILE).toFile());
        root.remove("compute");
        json.writeValue(model.resolve(ModelManifest.FILE).toFile(), root);
        assertThat(ModelManifest.read(model).compute()).isEqualTo(ComputePrecision.FLOAT32);
    }

    @Test
    void float16IsRefusedForTheRotaryFamiliesAndContradictionsAreRefused() {
        Path src = TinyModels.assemble(tmp.resolve("src"), "cogvideox_5b_tiny");
        assertThatThrownBy(() -> ModelExporter.export(src, tmp.resolve("out"), ExportOptions.computing(
                ComputePrecision.FLOAT16, SIZE, AttentionBudget.DEFAULT, null)))
                .hasMessageContaining("--compute float16").hasMessageContaining("NaN")
                .hasMessageContaining("bfloat16");
        assertThatThrownBy(() -> new ExportOptions("float32", SIZE, AttentionBudget.DEFAULT, null,
                ComputePrecision.BFLOAT16)).hasMessageContaining("--dtype float32 contradicts");
        assertThatThrownBy(() -> new ExportOptions("bfloat16", SIZE, AttentionBudget.DEFAULT, null,
                ComputePrecision.FLOAT16)).hasMessageContaining("contradicts");
        assertThatThrownBy(() -> new ExportOptions("float16", SIZE, AttentionBudget.DEFAULT))
                .hasMessageContaining("only for --compute float16");
        assertThatThrownBy(() -> ComputePrecision.parse("fp8")).hasMessageContaining("float32, bfloat16, float16");
        assertThat(ExportOptions.computing(ComputePrecision.BFLOAT16, SIZE, AttentionBudget.DEFAULT, null).dtype())
                .isEqualTo("bfloat16");
    }

    private static List<NodeDef> ops(GraphDef g, String op) {
        return g.getNodeList().stream().filter(n -> n.getOp().equals(op)).toList();
    }

    private static DataType type(NodeDef n, String attr) {
        return n.getAttrOrThrow(attr).getType();
    }

    /** Through the shape ops a weight may pass before use. */
    private static NodeDef weightSource(Map<String, NodeDef> nodes, NodeDef n) {
        return List.of("Reshape", "Transpose").contains(n.getOp()) ? weightSource(nodes, producer(nodes, n, 0)) : n;
    }

    private static NodeDef producer(Map<String, NodeDef> nodes, NodeDef n, int input) {
        return nodes.get(MixedPrecisionRewrite.nodeName(n.getInput(input)));
    }
}
