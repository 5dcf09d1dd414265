package io.cogflow.model.export;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The precision policy of an export, in one place: a rewrite of the float32 graph the model code builds into one
 * that runs its matmuls and convolutions in a lower compute type (bfloat16 or float16), keeping statistics,
 * softmax and the signature boundary in float32. Like TensorFlow's auto-mixed-precision pass, but explicit and
 * ours, so that what runs in which type is written down here and checked by tests rather than decided by a
 * session option at load.
 *
 * <p>Each node gets one colour (per node: a multi-output op's outputs share it):
 * <ul>
 *   <li><b>allow</b> ({@link #ALLOW}): MatMul, BatchMatMulV2/V3, Conv2D, Conv3D run in the compute type, the
 *       work that has a fast bf16 path (oneDNN AVX512-BF16/AMX on the CPU, tensor cores on a GPU).
 *       BatchMatMulV3 becomes BatchMatMulV2, which oneDNN rewrites to its bf16 kernel; V3 has no oneDNN
 *       kernel and runs a slow Eigen loop in bf16.</li>
 *   <li><b>propagate</b> ({@link #PROPAGATE}): data-movement ops (reshape, transpose, slice, split, concat, pad,
 *       gather…) and BiasAdd take the compute type when every float input is already in it (or is a weight
 *       stored in it, or a scalar constant), so that matmul → bias → reshape/transpose/split → matmul never
 *       leaves it and moves half the bytes. BiasAdd is fused into the matmul by oneDNN.</li>
 *   <li><b>deny</b>: everything else stays float32 — the statistics and sensitive maths (Mean, Sum, Softmax,
 *       Rsqrt, Sqrt, Exp, Log, Sin, Cos, Pow…), so layer-, RMS- and group-norm statistics, softmax, the timestep
 *       sinusoid and the RoPE / sin-cos position tables (non-scalar float32 constants, which never count as
 *       compute inputs) are computed in float32, as torch's autocast and diffusers' {@code apply_rotary_emb} do;
 *       and, by measurement, the elementwise arithmetic ({@link #FLOAT32_ARITHMETIC}: Add, Mul, Sub, Tanh, Square,
 *       Sigmoid…). TensorFlow's CPU kernels for these are much slower in bf16 than in float32: with them in
 *       bf16, {@code cogflow bench precision --profile} on the mid config at batch 8 measured Mul 1.28 → 3.01 s
 *       and Add 0.53 → 1.33 s per call, which ate the whole matmul gain (0.84x overall); with them in float32
 *       the same call is 1.30–1.37x faster than float32 and closer to it (docs/precision.md). Nodes whose outputs a signature returns also stay float32: callers see float32 in
 *       and out.</li>
 * </ul>
 * A Cast is inserted on every data edge whose two ends differ (one per tensor and direction, shared by its
 * consumers). Weights are stored in the compute type ({@code ModelVariables}); the float32 widening Cast of a
 * weight read is bypassed wherever a compute-type node reads it, so matmul and conv weights are read directly,
 * narrowed once at load and never converted per call. Control edges ({@code ^name}) are kept as they are.
 */
public final class MixedPrecisionRewrite implements UnaryOperator<GraphDef> {

    /** Ops that run in the compute type, with their input slots that carry it. */
    static final Set<String> ALLOW = Set.of("MatMul", "BatchMatMulV2", "BatchMatMulV3", "Conv2D", "Conv3D");

    /** How an op's float inputs are laid out: which slots carry the type attribute. */
    private enum Inputs {
        /** Every data input (elementwise ops, Pack). */
        ALL,
        /** Every data input but the last (ConcatV2: values…, axis). */
        ALL_BUT_LAST,
        /** Input 0 only (shape ops: the others are shapes, indices or axes). */
        FIRST,
        /** Input 1 only (Split: axis, value). */
        SECOND,
        /** Inputs 0 and 1 (matmuls, convolutions, BiasAdd). */
        FIRST_TWO,
        /** Inputs 0 and 2 (PadV2: input, paddings, constant_values). */
        FIRST_AND_THIRD
    }

    private record OpKind(String typeAttr, Inputs inputs) {
    }

    private static final Map<String, OpKind> PROPAGATE = propagate();
    private static final Map<String, OpKind> ALLOWED_KINDS = Map.of(
            "MatMul", new OpKind("T", Inputs.FIRST_TWO),
            "BatchMatMulV2", new OpKind("T", Inputs.FIRST_TWO),
            "BatchMatMulV3", new OpKind("Ta", Inputs.FIRST_TWO),
            "Conv2D", new OpKind("T", Inputs.FIRST_TWO),
            "Conv3D", new OpKind("T", Inputs.FIRST_TWO));

    /**
     * Elementwise arithmetic that stays float32 although it would be safe in bf16: slower in bf16 on the CPU
     * (measured, see the class comment). On a GPU, where bf16 elementwise kernels halve the memory traffic and XLA
     * fuses the Casts, moving these into {@link #PROPAGATE} (inputs: all) is the first thing to measure.
     */
    static final Set<String> FLOAT32_ARITHMETIC = Set.of("Add", "AddV2", "Sub", "Mul", "RealDiv", "Maximum",
            "Minimum", "Sigmoid", "Tanh", "Relu", "Neg", "Erf", "Square");

    private static Map<String, OpKind> propagate() {
        Map<String, OpKind> m = new HashMap<>();
        for (String op : List.of("BiasAdd", "Identity", "Pack")) {
            m.put(op, new OpKind("T", Inputs.ALL));
        }
        for (String op : List.of("Reshape", "Transpose", "Squeeze", "ExpandDims", "StridedSlice", "Slice", "Pad",
                "Tile", "SplitV", "Unpack")) {
            m.put(op, new OpKind("T", Inputs.FIRST));
        }
        m.put("ConcatV2", new OpKind("T", Inputs.ALL_BUT_LAST));
        m.put("Split", new OpKind("T", Inputs.SECOND));
        m.put("PadV2", new OpKind("T", Inputs.FIRST_AND_THIRD));
        m.put("GatherV2", new OpKind("Tparams", Inputs.FIRST));
        return Map.copyOf(m);
    }

    private final ComputePrecision precision;
    private final Set<String> outputNodes;

    /**
     * @param precision the compute type; {@link ComputePrecision#FLOAT32} leaves the graph as it is
     * @param outputs   the tensors the signatures return ({@code node:index}); their nodes stay float32
     */
    public MixedPrecisionRewrite(ComputePrecision precision, Collection<String> outputs) {
        this.precision = precision;
        Set<String> nodes = new HashSet<>();
        for (String t : outputs) {
            nodes.add(nodeName(t));
        }
        this.outputNodes = Set.copyOf(nodes);
    }

    @Override
    public GraphDef apply(GraphDef graph) {
        if (!precision.reduced()) {
            return graph;
        }
        DataType compute = precision.dataType();
        Map<String, NodeDef> byName = new LinkedHashMap<>();
        for (NodeDef n : graph.getNodeList()) {
            byName.put(n.getName(), n);
        }
        Set<String> narrow = colour(byName, compute);
        Map<String, String> casts = new HashMap<>();
        List<NodeDef> added = new ArrayList<>();
        Set<String> names = new HashSet<>(byName.keySet());
        GraphDef.Builder out = graph.toBuilder().clearNode();
        for (NodeDef n : byName.values()) {
            boolean inCompute = narrow.contains(n.getName());
            OpKind kind = kind(n.getOp());
            NodeDef.Builder b = n.toBuilder().clearInput();
            for (int i = 0; i < n.getInputCount(); i++) {
                String input = n.getInput(i);
                if (input.startsWith("^")) {
                    b.addInput(input);
                    continue;
                }
                NodeDef producer = byName.get(nodeName(input));
                boolean producerCompute = producer != null && narrow.contains(producer.getName());
                if (inCompute && carriesType(kind.inputs(), i, n)) {
                    if (producerCompute) {
                        b.addInput(input);
                    } else if (producer != null && isWeightWidening(producer, compute, byName)) {
                        b.addInput(producer.getInput(0)); // read the stored weight directly
                    } else {
                        b.addInput(cast(input, DataType.DT_FLOAT, compute, casts, added, names));
                    }
                } else if (producerCompute) {
                    b.addInput(cast(input, compute, DataType.DT_FLOAT, casts, added, names));
                } else {
                    b.addInput(input);
                }
            }
            if (inCompute) {
                retype(b, n, compute);
            }
            out.addNode(b);
        }
        added.forEach(out::addNode);
        return out.build();
    }

    /** Nodes that run in the compute type, decided producers first. */
    private Set<String> colour(Map<String, NodeDef> byName, DataType compute) {
        Set<String> narrow = new HashSet<>();
        for (NodeDef n : topological(byName)) {
            if (outputNodes.contains(n.getName())) {
                continue;
            }
            if (ALLOW.contains(n.getOp())) {
                if (floatTyped(n, ALLOWED_KINDS.get(n.getOp()).typeAttr())) {
                    narrow.add(n.getName());
                }
                continue;
            }
            OpKind kind = PROPAGATE.get(n.getOp());
            if (kind == null || FLOAT32_ARITHMETIC.contains(n.getOp()) || !floatTyped(n, kind.typeAttr())) {
                continue;
            }
            boolean all = true;
            boolean any = false;
            for (int i = 0; i < n.getInputCount() && all; i++) {
                String input = n.getInput(i);
                if (input.startsWith("^") || !carriesType(kind.inputs(), i, n)) {
                    continue;
                }
                NodeDef p = byName.get(nodeName(input));
                if (p == null) {
                    all = false;
                } else if (narrow.contains(p.getName()) || isWeightWidening(p, compute, byName)) {
                    any = true;
                } else if (!isScalarFloatConstant(p)) {
                    all = false;
                }
            }
            if (all && any) {
                narrow.add(n.getName());
            }
        }
        return narrow;
    }

    /** Data-edge topological order (the graph is acyclic: no control flow in exported models). */
    private static List<NodeDef> topological(Map<String, NodeDef> byName) {
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<String>> consumers = new HashMap<>();
        for (NodeDef n : byName.values()) {
            int count = 0;
            for (String input : n.getInputList()) {
                String p = nodeName(input);
                if (byName.containsKey(p)) {
                    consumers.computeIfAbsent(p, k -> new ArrayList<>()).add(n.getName());
                    count++;
                }
            }
            pending.put(n.getName(), count);
        }
        Deque<String> ready = new ArrayDeque<>();
        pending.forEach((name, c) -> {
            if (c == 0) {
                ready.add(name);
            }
        });
        List<NodeDef> order = new ArrayList<>(byName.size());
        while (!ready.isEmpty()) {
            String name = ready.poll();
            order.add(byName.get(name));
            for (String c : consumers.getOrDefault(name, List.of())) {
                if (pending.merge(c, -1, Integer::sum) == 0) {
                    ready.add(c);
                }
            }
        }
        if (order.size() != byName.size()) {
            throw new IllegalStateException("the graph has a cycle; the precision rewrite handles acyclic graphs");
        }
        return order;
    }

    private static OpKind kind(String op) {
        OpKind k = ALLOWED_KINDS.get(op);
        return k != null ? k : PROPAGATE.getOrDefault(op, new OpKind("T", Inputs.FIRST));
    }

    private static boolean carriesType(Inputs inputs, int slot, NodeDef n) {
        int dataInputs = (int) n.getInputList().stream().filter(s -> !s.startsWith("^")).count();
        return switch (inputs) {
            case ALL -> true;
            case ALL_BUT_LAST -> slot < dataInputs - 1;
            case FIRST -> slot == 0;
            case SECOND -> slot == 1;
            case FIRST_TWO -> slot <= 1;
            case FIRST_AND_THIRD -> slot == 0 || slot == 2;
        };
    }

    private static boolean floatTyped(NodeDef n, String attr) {
        AttrValue v = n.getAttrOrDefault(attr, null);
        if (v == null || v.getType() != DataType.DT_FLOAT) {
            return false;
        }
        if (n.getOp().equals("BatchMatMulV3")) {
            return n.getAttrOrThrow("Tb").getType() == DataType.DT_FLOAT
                    && n.getAttrOrThrow("Tout").getType() == DataType.DT_FLOAT;
        }
        return true;
    }

    /** A Cast to float32 of a variable read already in the compute type: what ModelVariables puts on each weight. */
    private static boolean isWeightWidening(NodeDef n, DataType compute, Map<String, NodeDef> byName) {
        if (!n.getOp().equals("Cast") || n.getAttrOrThrow("SrcT").getType() != compute
                || n.getAttrOrThrow("DstT").getType() != DataType.DT_FLOAT || n.getInputCount() != 1
                || n.getInput(0).startsWith("^")) {
            return false;
        }
        NodeDef read = byName.get(nodeName(n.getInput(0)));
        return read != null && read.getOp().equals("ReadVariableOp");
    }

    private static boolean isScalarFloatConstant(NodeDef n) {
        if (!n.getOp().equals("Const") || n.getAttrOrThrow("dtype").getType() != DataType.DT_FLOAT) {
            return false;
        }
        TensorProto t = n.getAttrOrThrow("value").getTensor();
        long elements = 1;
        for (var d : t.getTensorShape().getDimList()) {
            elements *= d.getSize();
        }
        return elements == 1;
    }

    /** Sets the node's type attributes to the compute type (BatchMatMulV3 becomes BatchMatMulV2). */
    private static void retype(NodeDef.Builder b, NodeDef n, DataType compute) {
        AttrValue type = AttrValue.newBuilder().setType(compute).build();
        if (n.getOp().equals("BatchMatMulV3")) {
            b.setOp("BatchMatMulV2").clearAttr().putAttr("T", type)
                    .putAttr("adj_x", n.getAttrOrDefault("adj_x", AttrValue.newBuilder().setB(false).build()))
                    .putAttr("adj_y", n.getAttrOrDefault("adj_y", AttrValue.newBuilder().setB(false).build()));
            return;
        }
        b.putAttr(kind(n.getOp()).typeAttr(), type);
    }

    /** The name of a Cast of {@code tensor} from one type to another, created once per tensor and direction. */
    private static String cast(String tensor, DataType from, DataType to, Map<String, String> casts,
                               List<NodeDef> added, Set<String> names) {
        String key = tensor + "->" + to.getNumber();
        String existing = casts.get(key);
        if (existing != null) {
            return existing;
        }
        String base = nodeName(tensor) + (tensor.contains(":") ? "_" + tensor.substring(tensor.indexOf(':') + 1) : "")
                + (to == DataType.DT_FLOAT ? "/to_float32" : "/to_compute");
        String name = base;
        for (int i = 1; names.contains(name); i++) {
            name = base + "_" + i;
        }
        names.add(name);
        added.add(NodeDef.newBuilder().setName(name).setOp("Cast").addInput(tensor)
                .putAttr("SrcT", AttrValue.newBuilder().setType(from).build())
                .putAttr("DstT", AttrValue.newBuilder().setType(to).build())
                .putAttr("Truncate", AttrValue.newBuilder().setB(false).build()).build());
        casts.put(key, name);
        return name;
    }

    static String nodeName(String input) {
        String s = input.startsWith("^") ? input.substring(1) : input;
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(0, colon);
    }
}
