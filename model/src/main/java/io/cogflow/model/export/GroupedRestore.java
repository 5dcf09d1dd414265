package io.cogflow.model.export;

import com.google.protobuf.ByteString;
import org.tensorflow.Session;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TString;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Restores a SavedModel's variables in bounded groups. The exported {@link SaverDef} restores with one
 * {@code RestoreV2} of every tensor followed by the assigns, so the whole checkpoint is read into host memory
 * before the first variable takes its value. On the CPU that costs nothing extra (an assign adopts the read
 * tensor's buffer: one step and groups peak alike, docs/benchmarks.md); with the variables on a GPU each assign
 * copies to the device, and the host holds the whole checkpoint until the last copy. This adds, per group of at
 * most {@code groupBytes} of tensors, its own {@code RestoreV2} and assigns to the graph (copies of the exported
 * assign nodes, reading from the group's restore), and runs them one group per {@code Session.run}: a group's
 * host tensors are freed when its assigns are done, before the next group is read. The checkpoint on disk and
 * its SHA-256 in the manifest are untouched.
 */
final class GroupedRestore {
    static final String SCOPE = "serving_restore";

    /** One exported variable: its checkpoint key, dtype, bytes, and the exported assign node that restores it. */
    record Variable(String key, DataType dtype, long bytes, NodeDef assign) {
    }

    private final String filenameTensor;
    private final List<List<Variable>> groups;

    private GroupedRestore(String filenameTensor, List<List<Variable>> groups) {
        this.filenameTensor = filenameTensor;
        this.groups = groups;
    }

    /** The exported saver's variables in groups of at most {@code maxGroupBytes} (a larger tensor alone). */
    static GroupedRestore plan(GraphDef graph, SaverDef saver, long maxGroupBytes) {
        List<List<Variable>> groups = new ArrayList<>();
        List<Variable> group = new ArrayList<>();
        long size = 0;
        for (Variable v : variables(graph, saver)) {
            if (!group.isEmpty() && size + v.bytes() > maxGroupBytes) {
                groups.add(List.copyOf(group));
                group = new ArrayList<>();
                size = 0;
            }
            group.add(v);
            size += v.bytes();
        }
        if (!group.isEmpty()) {
            groups.add(List.copyOf(group));
        }
        return new GroupedRestore(saver.getFilenameTensorName(), List.copyOf(groups));
    }

    /** The bytes of each group, in restore order. */
    List<Long> groupBytes() {
        return groups.stream().map(g -> g.stream().mapToLong(Variable::bytes).sum()).toList();
    }

    /** {@code graph} with each group's restore ops added (import the result, then call {@link #restore}). */
    GraphDef addTo(GraphDef graph) {
        GraphDef.Builder b = graph.toBuilder();
        for (int i = 0; i < groups.size(); i++) {
            addGroup(b, i, inputName(filenameTensor), groups.get(i));
        }
        return b.build();
    }

    /** Reads the checkpoint at {@code prefix} ({@code .../variables/variables}) group after group. */
    void restore(Session session, String prefix) {
        try (TString file = TString.scalarOf(prefix)) {
            for (int i = 0; i < groups.size(); i++) {
                session.runner().feed(filenameTensor, file).addTarget(SCOPE + "/group_" + i + "/done").run().close();
            }
        }
    }

    /** The exported saver's variables, in its restore order, read off its {@code RestoreV2} and assigns. */
    static List<Variable> variables(GraphDef graph, SaverDef saver) {
        Map<String, NodeDef> nodes = new HashMap<>();
        graph.getNodeList().forEach(n -> nodes.put(n.getName(), n));
        NodeDef restoreAll = require(nodes, saver.getRestoreOpName());
        NodeDef restore = null;
        Map<Integer, NodeDef> assignByOutput = new HashMap<>();
        for (String in : restoreAll.getInputList()) {
            NodeDef assign = require(nodes, in.startsWith("^") ? in.substring(1) : in);
            if (!assign.getOp().equals("AssignVariableOp") || assign.getInputCount() < 2) {
                throw new IllegalArgumentException("the saver's restore op depends on " + assign.getName() + " ("
                        + assign.getOp() + "), not an assign of a restored tensor");
            }
            String value = assign.getInput(1);
            int colon = value.lastIndexOf(':');
            String node = colon < 0 ? value : value.substring(0, colon);
            int index = colon < 0 ? 0 : Integer.parseInt(value.substring(colon + 1));
            NodeDef source = require(nodes, node);
            if (!source.getOp().equals("RestoreV2") || (restore != null && restore != source)) {
                throw new IllegalArgumentException("assign " + assign.getName() + " does not read the saver's "
                        + "single RestoreV2");
            }
            restore = source;
            assignByOutput.put(index, assign);
        }
        if (restore == null) {
            throw new IllegalArgumentException("the saver restores no variables");
        }
        List<String> names = strings(require(nodes, inputName(restore.getInput(1))).getAttrOrThrow("value")
                .getTensor());
        List<DataType> dtypes = restore.getAttrOrThrow("dtypes").getList().getTypeList();
        if (names.size() != assignByOutput.size() || names.size() != dtypes.size()) {
            throw new IllegalArgumentException("the saver restores " + names.size() + " tensors of " + dtypes.size()
                    + " types into " + assignByOutput.size() + " variables");
        }
        List<Variable> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            NodeDef assign = assignByOutput.get(i);
            if (assign == null) {
                throw new IllegalArgumentException("restored tensor " + i + " is assigned to no variable");
            }
            NodeDef handle = require(nodes, inputName(assign.getInput(0)));
            TensorShapeProto shape = handle.getAttrOrThrow("shape").getShape();
            long elements = 1;
            for (TensorShapeProto.Dim d : shape.getDimList()) {
                elements *= d.getSize();
            }
            out.add(new Variable(names.get(i), dtypes.get(i),
                    elements * bytesPer(dtypes.get(i)), assign));
        }
        return out;
    }

    /**
     * The strings of a string constant. TensorFlow writes them as {@code string_val}, or — as TF Java's constants
     * are serialized — packed in {@code tensor_content}: every length as a varint, then the bytes one after another.
     */
    static List<String> strings(TensorProto t) {
        if (t.getStringValCount() > 0 || t.getTensorContent().isEmpty()) {
            return t.getStringValList().stream().map(ByteString::toStringUtf8).toList();
        }
        long n = 1;
        for (TensorShapeProto.Dim d : t.getTensorShape().getDimList()) {
            n *= d.getSize();
        }
        try {
            com.google.protobuf.CodedInputStream in = t.getTensorContent().newCodedInput();
            long[] lengths = new long[Math.toIntExact(n)];
            for (int i = 0; i < lengths.length; i++) {
                lengths[i] = in.readUInt64();
            }
            List<String> out = new ArrayList<>();
            for (long length : lengths) {
                out.add(new String(in.readRawBytes(Math.toIntExact(length)), java.nio.charset.StandardCharsets.UTF_8));
            }
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("a string constant of the saver is malformed", e);
        }
    }

    private static void addGroup(GraphDef.Builder b, int index, String filename, List<Variable> group) {
        String scope = SCOPE + "/group_" + index + "/";
        TensorProto.Builder names = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                .setTensorShape(vector(group.size()));
        TensorProto.Builder slices = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                .setTensorShape(vector(group.size()));
        AttrValue.ListValue.Builder dtypes = AttrValue.ListValue.newBuilder();
        for (Variable v : group) {
            names.addStringVal(ByteString.copyFromUtf8(v.key()));
            slices.addStringVal(ByteString.EMPTY);
            dtypes.addType(v.dtype());
        }
        b.addNode(constant(scope + "tensor_names", names.build()));
        b.addNode(constant(scope + "shape_and_slices", slices.build()));
        String restore = scope + "RestoreV2";
        b.addNode(NodeDef.newBuilder().setName(restore).setOp("RestoreV2").addInput(filename)
                .addInput(scope + "tensor_names").addInput(scope + "shape_and_slices")
                .setDevice(DevicePlacement.CPU)
                .putAttr("dtypes", AttrValue.newBuilder().setList(dtypes).build()));
        NodeDef.Builder done = NodeDef.newBuilder().setName(scope + "done").setOp("NoOp");
        for (int i = 0; i < group.size(); i++) {
            NodeDef exported = group.get(i).assign();
            String name = scope + "assign_" + i;
            b.addNode(exported.toBuilder().setName(name).setInput(1, restore + ":" + i));
            done.addInput("^" + name);
        }
        b.addNode(done);
    }

    private static NodeDef constant(String name, TensorProto value) {
        return NodeDef.newBuilder().setName(name).setOp("Const")
                .putAttr("dtype", AttrValue.newBuilder().setType(value.getDtype()).build())
                .putAttr("value", AttrValue.newBuilder().setTensor(value).build()).build();
    }

    private static TensorShapeProto vector(int n) {
        return TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(n)).build();
    }

    private static long bytesPer(DataType t) {
        return switch (t) {
            case DT_FLOAT, DT_INT32, DT_UINT32 -> 4;
            case DT_BFLOAT16, DT_HALF, DT_INT16, DT_UINT16 -> 2;
            case DT_DOUBLE, DT_INT64, DT_UINT64 -> 8;
            case DT_INT8, DT_UINT8, DT_BOOL -> 1;
            default -> throw new IllegalArgumentException("a variable of type " + t + " cannot be restored in groups");
        };
    }

    /** A tensor name as a node input: {@code save/filename:0} → {@code save/filename}. */
    private static String inputName(String tensor) {
        return tensor.endsWith(":0") ? tensor.substring(0, tensor.length() - 2) : tensor;
    }

    private static NodeDef require(Map<String, NodeDef> nodes, String name) {
        NodeDef n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("the SavedModel graph has no node " + name);
        }
        return n;
    }
}
