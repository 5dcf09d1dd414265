package io.cogflow.model.export;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.TfTensors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.math.Mean;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The precision rewrite on a small graph built here: which node gets which type, and that it still runs. */
class MixedPrecisionRewriteTest {

    @Test
    void matmulChainsNarrowAndTablesStatisticsAndOutputsStayFloat32() {
        float[] x = {0.5f, -1f, 2f, 0.25f, 1.5f, -0.75f};
        float[] w = {0.1f, 0.2f, -0.3f, 0.4f, 0.5f, -0.6f, 0.7f, 0.8f, 0.9f, -1.0f, 1.1f, 1.2f};
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            ModelVariables vars = new ModelVariables(tf, "m", List.of(ParameterSpec.linearWeight("w", 4, 3)),
                    TBfloat16.class);
            Placeholder<TFloat32> in = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(2, 3)));
            Operand<TFloat32> mm = tf.withName("mm").linalg.matMul(in, vars.get("w"));          // allow
            Operand<TFloat32> scaled = tf.withName("scaled").math.mul(mm, tf.constant(0.5f));    // arithmetic
            Operand<TFloat32> moved = tf.withName("moved").reshape(mm, tf.constant(new long[]{4, 2})); // layout
            Operand<TFloat32> table = tf.withName("table").math.mul(moved,
                    tf.constant(new float[][]{{1, 2}, {3, 4}, {5, 6}, {7, 8}}));                   // f32 table
            Mean<TFloat32> mean = tf.withName("mean").math.mean(mm, tf.constant(1));             // statistics
            Operand<TFloat32> out = tf.withControlDependencies(List.<Op>of(mean)).withName("out").reshape(moved,
                    tf.constant(new long[]{2, 4}));                                                 // signature output
            GraphDef before = g.toGraphDef();
            GraphDef after = new MixedPrecisionRewrite(ComputePrecision.BFLOAT16, List.of("out:0")).apply(before);
            Map<String, NodeDef> n = after.getNodeList().stream()
                    .collect(Collectors.toMap(NodeDef::getName, Function.identity()));

            assertThat(type(n.get("mm"))).isEqualTo(DataType.DT_BFLOAT16);
            assertThat(n.get("mm").getInput(1)).as("the weight is read directly").isEqualTo("m/weights/w/read");
            assertThat(type(n.get("moved"))).isEqualTo(DataType.DT_BFLOAT16);
            assertThat(type(n.get("scaled"))).isEqualTo(DataType.DT_FLOAT);
            assertThat(type(n.get("table"))).isEqualTo(DataType.DT_FLOAT);
            assertThat(type(n.get("mean"))).isEqualTo(DataType.DT_FLOAT);
            assertThat(type(n.get("out"))).isEqualTo(DataType.DT_FLOAT);
            assertThat(n.get("out").getInputList()).contains("^mean");
            // the float32 input is cast down; mm's output is cast up once, shared by scaled and mean; moved's once,
            // shared by table and out
            assertThat(n.get("mm").getInput(0)).isEqualTo("x/to_compute");
            assertThat(n.get("scaled").getInput(0)).isEqualTo("mm/to_float32");
            assertThat(n.get("mean").getInput(0)).isEqualTo("mm/to_float32");
            assertThat(n.get("table").getInput(0)).isEqualTo("moved/to_float32");
            assertThat(n.get("out").getInput(0)).isEqualTo("moved/to_float32");
            assertThat(after.getNodeList().stream().filter(d -> d.getOp().equals("Cast")).count())
                    .isEqualTo(before.getNodeList().stream().filter(d -> d.getOp().equals("Cast")).count() + 3);

            float[] reference = run(g, vars, w, x, out);
            try (Graph rewritten = new Graph()) {
                rewritten.importGraphDef(after);
                float[] narrowed = runImported(rewritten, w, x);
                // same values up to bf16 rounding of the weights and the matmul inputs
                for (int i = 0; i < reference.length; i++) {
                    assertThat(narrowed[i]).isCloseTo(reference[i], Offset.offset(0.03f));
                }
            }
        }
    }

    private static DataType type(NodeDef n) {
        return n.getAttrOrThrow("T").getType();
    }

    private static float[] run(Graph g, ModelVariables vars, float[] w, float[] x, Operand<TFloat32> out) {
        try (Session s = new Session(g, ConfigProto.getDefaultInstance())) {
            vars.assignAll(s, spec -> w);
            try (TFloat32 in = TfTensors.floats(new long[]{2, 3}, x);
                 Result r = s.runner().feed("x", in).fetch(out).run()) {
                return TfTensors.toHost((TFloat32) r.get(0)).data();
            }
        }
    }

    /** The imported graph's variable is assigned through its own feed and assign ops, by name. */
    private static float[] runImported(Graph g, float[] w, float[] x) {
        try (Session s = new Session(g, ConfigProto.getDefaultInstance());
             TFloat32 weight = TfTensors.floats(new long[]{3, 4}, w);
             TFloat32 in = TfTensors.floats(new long[]{2, 3}, x)) {
            s.runner().feed("m/weights/w/feed", weight).addTarget("m/weights/w/assign").run().close();
            try (Result r = s.runner().feed("x", in).fetch("out").run()) {
                return TfTensors.toHost((TFloat32) r.get(0)).data();
            }
        }
    }
}
