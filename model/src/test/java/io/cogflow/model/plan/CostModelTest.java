package io.cogflow.model.plan;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

/**
 * The per-op formulas on a small graph of the kind a bf16 export holds: a bf16 MatMul with a fixed weight, a
 * BatchMatMulV2 with adj_y (the op a bf16 graph uses for attention), a cast to float32 and a softmax.
 */
class CostModelTest {
    private static final DeviceSpec DEVICE = new DeviceSpec("test", 1e12, 0, 1e11, 1e10, 1e9, 0, 1e9,
            1_000_000_000L, 1e-6, 0, "test");

    private static PlanGraph graph() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TBfloat16> x = tf.withName("x").placeholder(TBfloat16.class,
                    Placeholder.shape(Shape.of(-1, 256)));
            Placeholder<TBfloat16> w = tf.withName("w").placeholder(TBfloat16.class,
                    Placeholder.shape(Shape.of(256, 512)));
            Operand<TBfloat16> y = tf.withName("project").linalg.matMul(x, w);
            // [B·8·64] viewed as [B, 8, 64]: queries and keys of one head
            Operand<TBfloat16> q = tf.withName("view").reshape(y, tf.constant(new long[]{-1, 8, 64}));
            Operand<TBfloat16> scores = tf.scope().opBuilder("BatchMatMulV2", "scores").addInput(q.asOutput())
                    .addInput(q.asOutput()).setAttr("adj_y", true).build().output(0);
            Operand<TFloat32> wide = tf.withName("widen").dtypes.cast(scores, TFloat32.class);
            tf.withName("probs").nn.softmax(wide);
            return PlanGraph.of(g.toGraphDef(), "probs");
        }
    }

    private static CostModel.OpCost op(List<CostModel.OpCost> ops, String name) {
        return ops.stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void productsAndElementwiseOpsFollowTheirFormulasAtTheGraphsTypes() {
        long b = 3;
        List<CostModel.OpCost> ops = new CostModel(graph(), DEVICE, Compute.FLOAT32, false, Fusion.NONE).ops(b);
        CostModel.OpCost project = op(ops, "project");
        assertThat(project.flops()).isEqualTo(2.0 * b * 256 * 512);
        assertThat(project.bytes()).isEqualTo(2.0 * (b * 256 + 256 * 512 + b * 512));
        // bf16 operands run at the bf16 peak; here the bytes dominate
        assertThat(project.seconds()).isCloseTo(Math.max(project.flops() / 1e12, project.bytes() / 1e9) + 1e-6,
                withPercentage(1e-9));
        CostModel.OpCost scores = op(ops, "scores");
        assertThat(scores.flops()).isEqualTo(2.0 * b * 8 * 8 * 64);
        assertThat(scores.bytes()).isEqualTo(2.0 * (2 * b * 8 * 64 + b * 8 * 8));
        CostModel.OpCost widen = op(ops, "widen");
        assertThat(widen.flops()).isEqualTo(b * 64.0);
        assertThat(widen.bytes()).isEqualTo(b * 64 * (2.0 + 4));
        CostModel.OpCost probs = op(ops, "probs");
        assertThat(probs.flops()).isEqualTo(5.0 * b * 64);
        assertThat(probs.bytes()).isEqualTo(b * 64 * 4 * (3.0 + 1));
        assertThat(op(ops, "view").bytes()).isZero();
    }

    @Test
    void fusionKeepsIntermediatesOutOfMemory() {
        long b = 3;
        CostModel none = new CostModel(graph(), DEVICE, Compute.FLOAT32, false, Fusion.NONE);
        CostModel xla = new CostModel(graph(), DEVICE, Compute.FLOAT32, false, Fusion.XLA);
        // the cast's float32 scores go straight into the softmax: neither writes nor reads them
        assertThat(op(xla.ops(b), "widen").bytes()).isEqualTo(b * 64 * 2.0);
        assertThat(op(xla.ops(b), "probs").bytes()).isEqualTo(b * 64 * 4.0);
        assertThat(xla.dispatchedOps()).isLessThan(none.dispatchedOps());
        // live at the cast without fusion: the bf16 scores and the float32 copy (the projection was freed after
        // the scores were made; x and w are fed and read by the projection only)
        assertThat(none.peakActivations(b)).isEqualTo(Math.max(2.0 * (b * 256 + 256 * 512 + b * 512),
                2.0 * b * 512 + 2.0 * b * 64));
        assertThat(none.peakActivations(1000)).isGreaterThan(none.peakActivations(b));
    }
}
