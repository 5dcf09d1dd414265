package io.cogflow.model.export;

import io.cogflow.model.tf.ModelVariables;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Writes a TensorFlow SavedModel ({@code saved_model.pb} + {@code variables/}) of one graph, with named
 * signatures over its tensors and the resource variables' values from a session. TensorFlow's loader (in any
 * language) restores the variables through the {@link ResourceSaver} recorded in the meta graph.
 */
public final class SavedModelWriter {
    public static final String TAG = "serve";

    /** A signature under construction: named input and output tensors of the graph. */
    public static final class SignatureBuilder {
        private final String key;
        private final Map<String, Operand<?>> inputs = new LinkedHashMap<>();
        private final Map<String, Operand<?>> outputs = new LinkedHashMap<>();

        public SignatureBuilder(String key) {
            this.key = key;
        }

        public SignatureBuilder input(String name, Operand<?> tensor) {
            inputs.put(name, tensor);
            return this;
        }

        public SignatureBuilder output(String name, Operand<?> tensor) {
            outputs.put(name, tensor);
            return this;
        }

        /** The tensors this signature returns, as {@code node:index}. */
        public List<String> outputTensorNames() {
            return outputs.values().stream().map(SignatureBuilder::tensorName).toList();
        }

        private static String tensorName(Operand<?> t) {
            return t.op().name() + ":" + t.asOutput().index();
        }

        SignatureDef build() {
            SignatureDef.Builder b = SignatureDef.newBuilder().setMethodName("tensorflow/serving/predict");
            inputs.forEach((n, t) -> b.putInputs(n, info(t)));
            outputs.forEach((n, t) -> b.putOutputs(n, info(t)));
            return b.build();
        }

        private static TensorInfo info(Operand<?> t) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            Shape s = t.shape();
            if (s.isUnknown()) {
                shape.setUnknownRank(true);
            } else {
                for (long d : s.asArray()) {
                    shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
                }
            }
            DataType dtype = t.asOutput().dataType();
            return TensorInfo.newBuilder().setName(tensorName(t)).setDtype(dtype)
                    .setTensorShape(shape).build();
        }
    }

    private SavedModelWriter() {
    }

    /**
     * Adds the saver to {@code graph}, saves the variables' values from {@code session} and writes the model.
     * Call once, after every op the signatures need exists.
     */
    public static void write(Path dir, Graph graph, Ops tf, Session session, List<ModelVariables.Variable> variables,
                             List<SignatureBuilder> signatures) {
        write(dir, graph, tf, session, variables, signatures, UnaryOperator.identity());
    }

    /**
     * As {@link #write(Path, Graph, Ops, Session, List, List)}, writing {@code rewrite} of the graph instead of the
     * graph itself (e.g. {@link MixedPrecisionRewrite}). The rewrite must keep every signature tensor, variable
     * and saver node by name and type: the variables are saved from the session's graph, restored into the
     * rewritten one.
     */
    public static void write(Path dir, Graph graph, Ops tf, Session session, List<ModelVariables.Variable> variables,
                             List<SignatureBuilder> signatures, UnaryOperator<GraphDef> rewrite) {
        try {
            Files.createDirectories(dir.resolve("variables"));
            ResourceSaver saver = new ResourceSaver(tf, variables);
            saver.save(session, dir.resolve("variables").resolve("variables").toString());
            MetaGraphDef.Builder meta = MetaGraphDef.newBuilder()
                    .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags(TAG))
                    .setGraphDef(rewrite.apply(graph.toGraphDef()))
                    .setSaverDef(saver.saverDef());
            for (SignatureBuilder s : signatures) {
                meta.putSignatureDef(s.key, s.build());
            }
            SavedModel model = SavedModel.newBuilder().setSavedModelSchemaVersion(1).addMetaGraphs(meta).build();
            try (OutputStream out = Files.newOutputStream(dir.resolve("saved_model.pb"))) {
                model.writeTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the SavedModel to " + dir, e);
        }
    }
}
