package io.cogflow.model.plan;

import org.tensorflow.proto.DataType;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PlanGraph} under one set of assumptions — how products compute, what a compiler fuses — costed on a
 * device: the roofline time of every op and the peak of live activations, at any batch.
 *
 * <p>Per op, {@code t = max(FLOPs / peak, bytes / bandwidth) + dispatch}, where bytes are the op's inputs read
 * and outputs written at their element sizes, and the peak is the product peak for MatMul/BatchMatMul/Conv
 * (bf16, TF32 or float32 by operand type and {@link Compute}) and the vector peak otherwise. Ops run one after
 * another (the session runs with one inter-op thread, and attention chunks are chained by control edges), so
 * the step time is the sum, plus the device's per-run cost.
 */
final class CostModel {

    /** One op's cost at a batch. */
    record OpCost(String name, String type, double flops, double bytes, double seconds) {
    }

    private final PlanGraph graph;
    private final DeviceSpec device;
    private final Compute compute;
    private final boolean productsAtCompute;
    /** Bytes per element of each tensor as held in memory. */
    private final int[] stored;
    /** The tensor whose buffer each tensor is (itself, or what an alias op views). */
    private final int[] buffer;
    /** Whether a buffer reaches memory; fused intermediates do not. */
    private final boolean[] materialised;
    private final boolean[] dispatched;
    private final boolean[] narrow;

    /**
     * @param productsAtCompute model products analytically at {@code compute} (a graph built from a config in
     *                          float32); false: take product operand types from the graph (an exported model)
     */
    CostModel(PlanGraph graph, DeviceSpec device, Compute compute, boolean productsAtCompute, Fusion fusion) {
        this.graph = graph;
        this.device = device;
        this.compute = compute;
        this.productsAtCompute = productsAtCompute;
        List<PlanGraph.Node> nodes = graph.nodes();
        List<PlanGraph.Tensor> tensors = graph.tensors();
        int narrowSize = compute == Compute.BFLOAT16 ? 2 : 4;
        stored = new int[tensors.size()];
        buffer = new int[tensors.size()];
        for (int t = 0; t < tensors.size(); t++) {
            PlanGraph.Tensor x = tensors.get(t);
            PlanGraph.Node producer = nodes.get(x.producer());
            stored[t] = productsAtCompute && producer.kind().product() ? narrowSize : x.bytesPerElement();
            buffer[t] = producer.kind() == OpClass.ALIAS && x.index() == 0 && !producer.inputs().isEmpty()
                    ? buffer[producer.inputs().get(0)] : t;
        }
        narrow = new boolean[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            PlanGraph.Node n = nodes.get(i);
            if (n.kind().product()) {
                DataType operand = tensors.get(n.inputs().get(0)).dtype();
                narrow[i] = productsAtCompute ? compute == Compute.BFLOAT16
                        : operand == DataType.DT_BFLOAT16 || operand == DataType.DT_HALF;
            }
        }
        materialised = Fusions.materialised(graph, buffer, fusion);
        dispatched = Fusions.dispatched(graph, buffer, materialised, fusion);
    }

    /** Every op's cost at this batch, in execution order. */
    List<OpCost> ops(long batch) {
        List<OpCost> out = new ArrayList<>();
        List<PlanGraph.Tensor> tensors = graph.tensors();
        for (int i = 0; i < graph.nodes().size(); i++) {
            PlanGraph.Node n = graph.nodes().get(i);
            double bytes = 0;
            if (n.kind() != OpClass.ALIAS && n.kind() != OpClass.SOURCE) {
                int productSize = compute == Compute.BFLOAT16 ? 2 : 4;
                for (int t : n.inputs()) {
                    if (materialised[buffer[t]]) {
                        int size = productsAtCompute && n.kind().product() ? productSize : stored[buffer[t]];
                        double passes = n.kind() == OpClass.SOFTMAX ? OpClass.SOFTMAX_INPUT_PASSES : 1;
                        bytes += passes * tensors.get(t).elements().at(batch) * size;
                    }
                }
                for (int t : n.outputs()) {
                    if (materialised[buffer[t]]) {
                        bytes += tensors.get(t).elements().at(batch) * stored[t];
                    }
                }
            }
            double flops = n.flops().at(batch);
            double peak = n.kind().product() ? device.productPeak(compute, narrow[i]) : device.vectorFlops();
            double seconds = Math.max(flops / peak, bytes / device.bandwidthFor(bytes))
                    + (dispatched[i] ? device.opSeconds() : 0);
            out.add(new OpCost(n.name(), n.type(), flops, bytes, seconds));
        }
        return out;
    }

    /** The number of ops the executor dispatches per step. */
    int dispatchedOps() {
        int n = 0;
        for (boolean d : dispatched) {
            n += d ? 1 : 0;
        }
        return n;
    }

    /** Weight elements the step reads. */
    long parameters() {
        return graph.variables().stream().mapToLong(PlanGraph.Variable::elements).sum();
    }

    /** Resident weight bytes: variables at their stored type, or at the compute type when modelled. */
    double weightBytes() {
        double sum = 0;
        for (PlanGraph.Variable v : graph.variables()) {
            int size = productsAtCompute ? (compute == Compute.BFLOAT16 ? 2 : 4) : PlanGraph.sizeOf(v.dtype());
            sum += (double) v.elements() * size;
        }
        return sum;
    }

    /** Bytes of the graph's constants (position tables and the like), resident with the graph. */
    double constantBytes() {
        double sum = 0;
        for (PlanGraph.Tensor t : graph.tensors()) {
            if (graph.nodes().get(t.producer()).type().equals("Const")) {
                sum += t.elements().fixed() * t.bytesPerElement();
            }
        }
        return sum;
    }

    /**
     * The largest sum of live activation bytes along the execution order: a buffer lives from the op that makes
     * it to the last op reading it (or any view of it); inputs from the start; the fetched output to the end.
     * Weights, constants and fused intermediates are not activations.
     */
    double peakActivations(long batch) {
        List<PlanGraph.Node> nodes = graph.nodes();
        List<PlanGraph.Tensor> tensors = graph.tensors();
        int steps = nodes.size();
        int[] first = new int[tensors.size()];
        int[] last = new int[tensors.size()];
        java.util.Arrays.fill(first, -1);
        for (int t = 0; t < tensors.size(); t++) {
            int b = buffer[t];
            int made = tensors.get(b).producer();
            first[b] = nodes.get(made).type().startsWith("Placeholder") ? 0 : made;
            last[b] = Math.max(last[b], made);
        }
        for (int i = 0; i < steps; i++) {
            for (int t : nodes.get(i).inputs()) {
                last[buffer[t]] = Math.max(last[buffer[t]], i);
            }
        }
        last[buffer[graph.output()]] = steps - 1;
        double[] delta = new double[steps + 1];
        for (int t = 0; t < tensors.size(); t++) {
            if (buffer[t] != t || !materialised[t] || !activation(nodes.get(tensors.get(t).producer()))) {
                continue;
            }
            double bytes = tensors.get(t).elements().at(batch) * stored[t];
            delta[first[t]] += bytes;
            delta[last[t] + 1] -= bytes;
        }
        double live = 0;
        double peak = 0;
        for (int i = 0; i < steps; i++) {
            live += delta[i];
            peak = Math.max(peak, live);
        }
        return peak;
    }

    private static boolean activation(PlanGraph.Node producer) {
        return switch (producer.type()) {
            case "Const", "VarHandleOp", "ReadVariableOp" -> false;
            default -> true;
        };
    }
}
