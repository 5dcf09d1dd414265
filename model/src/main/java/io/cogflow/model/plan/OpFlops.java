package io.cogflow.model.plan;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;

import java.util.List;

/** Floating-point operations of one op from its static input and output shapes (see {@link OpClass}). */
final class OpFlops {
    private OpFlops() {
    }

    static double of(NodeDef node, List<long[]> inputs, long[][] outputs) {
        OpClass kind = OpClass.of(node.getOp());
        if (kind == null || outputs.length == 0) {
            return 0;
        }
        double out = PlanGraph.elements(outputs[0]);
        return switch (kind) {
            // 2 · (output elements) · K, with K read off the first operand as the transpose attributes say
            case MATMUL -> 2 * out * contracted(node, inputs.get(0));
            // 2 · output elements · kernel volume · input channels; filter [k..., Cin, Cout]
            case CONV -> 2 * out * PlanGraph.elements(inputs.get(1)) / last(inputs.get(1));
            case SOFTMAX -> OpClass.SOFTMAX_FLOPS * out;
            case ELEMENTWISE -> (OpClass.transcendental(node.getOp()) ? OpClass.TRANSCENDENTAL_FLOPS : 1) * out;
            case REDUCTION -> PlanGraph.elements(inputs.get(0));
            default -> 0;
        };
    }

    private static double contracted(NodeDef node, long[] a) {
        int rank = a.length;
        boolean transposed = flag(node, "transpose_a") || flag(node, "adj_x");
        return transposed ? a[rank - 2] : a[rank - 1];
    }

    private static boolean flag(NodeDef node, String attr) {
        AttrValue v = node.getAttrOrDefault(attr, null);
        return v != null && v.getB();
    }

    private static long last(long[] shape) {
        return shape[shape.length - 1];
    }
}
