package io.cogflow.model.plan;

import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ops one fetch of a graph runs — everything its output depends on through data and control edges — in an
 * execution order that honours both, with every tensor's size and every op's FLOPs as functions of the batch.
 * Shapes come from TensorFlow's own shape inference: the graph is imported twice with its free batch set to 1
 * and to 2 (placeholders whose first dimension is -1), which also resolves the {@code -1} of reshapes that fold
 * the batch into the rows of a MatMul.
 */
final class PlanGraph {

    /** One op. {@code inputs} and {@code outputs} index {@link #tensors()}; {@code controls} index nodes. */
    record Node(String name, String type, OpClass kind, List<Integer> inputs, List<Integer> controls,
                List<Integer> outputs, Affine flops, DataType dtype) {
    }

    /** One op output: its producer (a node index), elements as a function of the batch, and element type. */
    record Tensor(int producer, int index, Affine elements, DataType dtype) {
        int bytesPerElement() {
            return sizeOf(dtype);
        }
    }

    /** A variable the step reads: its element type and element count. */
    record Variable(String name, DataType dtype, long elements) {
    }

    private final List<Node> nodes;
    private final List<Tensor> tensors;
    private final List<Variable> variables;
    private final int output;
    private final Set<String> unknownTypes;

    private PlanGraph(List<Node> nodes, List<Tensor> tensors, List<Variable> variables, int output,
                      Set<String> unknownTypes) {
        this.nodes = nodes;
        this.tensors = tensors;
        this.variables = variables;
        this.output = output;
        this.unknownTypes = unknownTypes;
    }

    /** Nodes in execution order. */
    List<Node> nodes() {
        return nodes;
    }

    List<Tensor> tensors() {
        return tensors;
    }

    List<Variable> variables() {
        return variables;
    }

    /** The fetched tensor. */
    int output() {
        return output;
    }

    /** Op types the planner has no formula for; they are costed as data movement. */
    Set<String> unknownTypes() {
        return unknownTypes;
    }

    /**
     * @param graph  a whole graph (e.g. a SavedModel's)
     * @param fetch  the tensor a step computes, {@code "op"} or {@code "op:index"}
     */
    static PlanGraph of(GraphDef graph, String fetch) {
        String fetchOp = opName(fetch);
        int fetchIndex = fetch.contains(":") ? Integer.parseInt(fetch.substring(fetch.lastIndexOf(':') + 1)) : 0;
        List<NodeDef> ordered = executionOrder(reachable(graph, fetchOp));
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            index.put(ordered.get(i).getName(), i);
        }
        Inferred one = infer(ordered, 1);
        Inferred two = infer(ordered, 2);
        List<Node> nodes = new ArrayList<>();
        List<Tensor> tensors = new ArrayList<>();
        Map<String, Integer> tensorIds = new HashMap<>();
        List<Variable> variables = new ArrayList<>();
        Set<String> unknown = new TreeSet<>();
        for (int i = 0; i < ordered.size(); i++) {
            NodeDef n = ordered.get(i);
            List<Integer> outs = new ArrayList<>();
            long[][] shapesOne = one.shapes.get(i);
            for (int k = 0; k < shapesOne.length; k++) {
                int id = tensors.size();
                tensors.add(new Tensor(i, k, Affine.through(elements(shapesOne[k]), elements(two.shapes.get(i)[k])),
                        one.dtypes.get(i)[k]));
                tensorIds.put(n.getName() + ":" + k, id);
                outs.add(id);
            }
            OpClass kind = OpClass.of(n.getOp());
            if (kind == null) {
                unknown.add(n.getOp());
                kind = OpClass.MEMORY;
            }
            nodes.add(new Node(n.getName(), n.getOp(), kind, List.of(), List.of(), outs,
                    Affine.through(one.flops[i], two.flops[i]), outs.isEmpty() ? DataType.DT_INVALID
                    : tensors.get(outs.get(0)).dtype()));
            if (n.getOp().equals("VarHandleOp")) {
                variables.add(new Variable(n.getName(), n.getAttrOrThrow("dtype").getType(),
                        elements(dims(n.getAttrOrThrow("shape").getShape()))));
            }
        }
        for (int i = 0; i < ordered.size(); i++) {
            List<Integer> ins = new ArrayList<>();
            List<Integer> controls = new ArrayList<>();
            for (String in : ordered.get(i).getInputList()) {
                if (in.startsWith("^")) {
                    controls.add(index.get(in.substring(1)));
                } else {
                    ins.add(tensorIds.get(tensorName(in)));
                }
            }
            Node n = nodes.get(i);
            nodes.set(i, new Node(n.name(), n.type(), n.kind(), List.copyOf(ins), List.copyOf(controls),
                    List.copyOf(n.outputs()), n.flops(), n.dtype()));
        }
        Integer out = tensorIds.get(fetchOp + ":" + fetchIndex);
        if (out == null) {
            throw new IllegalArgumentException("the graph has no tensor " + fetch);
        }
        return new PlanGraph(List.copyOf(nodes), List.copyOf(tensors), List.copyOf(variables), out,
                Set.copyOf(unknown));
    }

    /** Shapes, types and FLOPs of every node at one batch size. */
    private record Inferred(List<long[][]> shapes, List<DataType[]> dtypes, double[] flops) {
    }

    private static Inferred infer(List<NodeDef> ordered, long batch) {
        GraphDef.Builder def = GraphDef.newBuilder();
        for (NodeDef n : ordered) {
            def.addNode(n.getOp().equals("Placeholder") ? withBatch(n, batch) : n);
        }
        List<long[][]> shapes = new ArrayList<>();
        List<DataType[]> dtypes = new ArrayList<>();
        double[] flops = new double[ordered.size()];
        Map<String, long[]> byTensor = new HashMap<>();
        try (Graph g = new Graph()) {
            g.importGraphDef(def.build());
            for (int i = 0; i < ordered.size(); i++) {
                NodeDef n = ordered.get(i);
                GraphOperation op = g.operationOrThrow(n.getName());
                long[][] s = new long[op.numOutputs()][];
                DataType[] t = new DataType[op.numOutputs()];
                for (int k = 0; k < s.length; k++) {
                    Output<?> o = op.output(k);
                    t[k] = o.dataType();
                    s[k] = t[k] == DataType.DT_RESOURCE ? new long[0] : staticShape(o.shape(), n.getName(), batch);
                    byTensor.put(n.getName() + ":" + k, s[k]);
                }
                List<long[]> in = new ArrayList<>();
                for (String name : n.getInputList()) {
                    if (!name.startsWith("^")) {
                        in.add(byTensor.get(tensorName(name)));
                    }
                }
                shapes.add(s);
                dtypes.add(t);
                flops[i] = OpFlops.of(n, in, s);
            }
        }
        return new Inferred(shapes, dtypes, flops);
    }

    private static NodeDef withBatch(NodeDef n, long batch) {
        AttrValue shape = n.getAttrOrDefault("shape", null);
        if (shape == null || shape.getShape().getUnknownRank() || shape.getShape().getDimCount() == 0
                || shape.getShape().getDim(0).getSize() != -1) {
            return n;
        }
        TensorShapeProto.Builder s = shape.getShape().toBuilder();
        s.setDim(0, s.getDim(0).toBuilder().setSize(batch));
        return n.toBuilder().putAttr("shape", AttrValue.newBuilder().setShape(s).build()).build();
    }

    private static long[] staticShape(Shape shape, String op, long batch) {
        if (shape.isUnknown()) {
            throw new IllegalArgumentException(op + ": output rank unknown at batch " + batch
                    + "; the planner needs static shapes apart from the batch");
        }
        long[] dims = shape.asArray();
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException(op + ": output shape " + shape + " not static at batch " + batch
                        + "; the planner needs static shapes apart from the batch");
            }
        }
        return dims;
    }

    /** The nodes {@code fetch} depends on, in the graph's order. */
    private static List<NodeDef> reachable(GraphDef graph, String fetch) {
        Map<String, NodeDef> byName = new HashMap<>();
        for (NodeDef n : graph.getNodeList()) {
            byName.put(n.getName(), n);
        }
        if (!byName.containsKey(fetch)) {
            throw new IllegalArgumentException("the graph has no op " + fetch);
        }
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(fetch));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (seen.add(name)) {
                for (String in : byName.get(name).getInputList()) {
                    todo.push(opName(in.startsWith("^") ? in.substring(1) : in));
                }
            }
        }
        return graph.getNodeList().stream().filter(n -> seen.contains(n.getName())).toList();
    }

    /**
     * A topological order over data and control edges that prefers the op built first: the order the model code
     * wrote, which runs one attention chunk to completion before the next (their control edges demand it).
     */
    private static List<NodeDef> executionOrder(List<NodeDef> nodes) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            position.put(nodes.get(i).getName(), i);
        }
        int[] waiting = new int[nodes.size()];
        List<List<Integer>> users = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            users.add(new ArrayList<>());
        }
        for (int i = 0; i < nodes.size(); i++) {
            Set<Integer> from = new HashSet<>();
            for (String in : nodes.get(i).getInputList()) {
                from.add(position.get(opName(in.startsWith("^") ? in.substring(1) : in)));
            }
            waiting[i] = from.size();
            for (int f : from) {
                users.get(f).add(i);
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        List<NodeDef> out = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int i = ready.poll();
            out.add(nodes.get(i));
            for (int u : users.get(i)) {
                if (--waiting[u] == 0) {
                    ready.add(u);
                }
            }
        }
        if (out.size() != nodes.size()) {
            throw new IllegalArgumentException("the graph has a cycle; the planner handles acyclic graphs only");
        }
        return out;
    }

    static String opName(String input) {
        int colon = input.lastIndexOf(':');
        return colon < 0 ? input : input.substring(0, colon);
    }

    private static String tensorName(String input) {
        return input.contains(":") ? input : input + ":0";
    }

    private static long[] dims(TensorShapeProto shape) {
        long[] d = new long[shape.getDimCount()];
        for (int i = 0; i < d.length; i++) {
            d[i] = shape.getDim(i).getSize();
        }
        return d;
    }

    static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Bytes per element; 0 for handles and strings, which the step does not move. */
    static int sizeOf(DataType t) {
        return switch (t) {
            case DT_FLOAT, DT_INT32, DT_UINT32 -> 4;
            case DT_DOUBLE, DT_INT64, DT_UINT64 -> 8;
            case DT_HALF, DT_BFLOAT16, DT_INT16, DT_UINT16 -> 2;
            case DT_BOOL, DT_INT8, DT_UINT8 -> 1;
            default -> 0;
        };
    }
}
