package io.cogflow.model.plan;

import java.util.ArrayList;
import java.util.List;

/** Which buffers reach memory and which ops are dispatched under a {@link Fusion} assumption. */
final class Fusions {
    private Fusions() {
    }

    /**
     * Per buffer (indexed by the tensor that owns it): whether it is written to memory. Under XLA a buffer made by
     * an element-wise, reduction, softmax or layout op and read only by such ops stays inside its fusion; under
     * fused attention the scores and probabilities between BatchMatMul → Softmax → BatchMatMul stay in the kernel.
     * The fetched output always reaches memory.
     */
    static boolean[] materialised(PlanGraph g, int[] buffer, Fusion fusion) {
        int n = g.tensors().size();
        boolean[] out = new boolean[n];
        java.util.Arrays.fill(out, true);
        if (fusion == Fusion.NONE) {
            return out;
        }
        List<List<PlanGraph.Node>> readers = readers(g, buffer);
        for (int t = 0; t < n; t++) {
            if (buffer[t] != t || buffer[g.output()] == t) {
                continue;
            }
            PlanGraph.Node producer = g.nodes().get(g.tensors().get(t).producer());
            List<PlanGraph.Node> r = readers.get(t);
            boolean fusedProducer = producer.kind().fusible() && producer.kind() != OpClass.ALIAS;
            if (fusedProducer && !r.isEmpty() && r.stream().allMatch(x -> x.kind().fusible())) {
                out[t] = false;
            }
        }
        if (fusion == Fusion.XLA_ATTENTION) {
            for (PlanGraph.Node softmax : g.nodes()) {
                if (!softmax.type().equals("Softmax")) {
                    continue;
                }
                int scores = buffer[softmax.inputs().get(0)];
                int probs = buffer[softmax.outputs().get(0)];
                PlanGraph.Node made = g.nodes().get(g.tensors().get(scores).producer());
                boolean pattern = batchMatMul(made) && readers.get(scores).size() == 1
                        && !readers.get(probs).isEmpty()
                        && readers.get(probs).stream().allMatch(Fusions::batchMatMul)
                        && probs != buffer[g.output()];
                if (pattern) {
                    out[scores] = false;
                    out[probs] = false;
                }
            }
        }
        return out;
    }

    /**
     * Per node: whether the executor launches it. Without fusion every op but the fed placeholders; with XLA one
     * launch per fusion (counted at the ops that write a buffer to memory) and per product.
     */
    static boolean[] dispatched(PlanGraph g, int[] buffer, boolean[] materialised, Fusion fusion) {
        boolean[] out = new boolean[g.nodes().size()];
        for (int i = 0; i < out.length; i++) {
            PlanGraph.Node node = g.nodes().get(i);
            if (fusion == Fusion.NONE) {
                out[i] = !node.type().startsWith("Placeholder");
                continue;
            }
            if (node.kind() == OpClass.SOURCE || node.kind() == OpClass.ALIAS) {
                continue;
            }
            out[i] = node.outputs().isEmpty() || node.outputs().stream().anyMatch(t -> materialised[buffer[t]]);
        }
        return out;
    }

    private static boolean batchMatMul(PlanGraph.Node n) {
        return n.type().startsWith("BatchMatMul");
    }

    private static List<List<PlanGraph.Node>> readers(PlanGraph g, int[] buffer) {
        List<List<PlanGraph.Node>> r = new ArrayList<>();
        for (int t = 0; t < g.tensors().size(); t++) {
            r.add(new ArrayList<>());
        }
        for (PlanGraph.Node node : g.nodes()) {
            for (int t : node.inputs()) {
                r.get(buffer[t]).add(node);
            }
        }
        return r;
    }
}
