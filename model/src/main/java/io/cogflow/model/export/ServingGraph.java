package io.cogflow.model.export;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A SavedModel loaded for serving by cogflow itself rather than by TensorFlow's {@code SavedModelBundle}, so the
 * graph can be prepared before it runs: the chosen signature kinds marked for XLA ({@link XlaMarks}), the text
 * encoder pinned to the CPU ({@link DevicePlacement}), and the variables restored in bounded groups
 * ({@link GroupedRestore}). The SavedModel on disk is read as it is: its manifest checksums still hold. One
 * session runs every signature, so the weights exist once; calls are thread-safe (TensorFlow runs concurrent
 * {@code Session.run} calls on one session).
 */
final class ServingGraph implements AutoCloseable {
    private final Graph graph;
    private final Session session;
    private final Map<String, SignatureDef> signatures;
    private final List<Long> restoreGroups;

    private ServingGraph(Graph graph, Session session, Map<String, SignatureDef> signatures, List<Long> restoreGroups) {
        this.graph = graph;
        this.session = session;
        this.signatures = signatures;
        this.restoreGroups = restoreGroups;
    }

    /**
     * @param scopes every signature scope of the model ({@code encode_text}, {@code denoise_WxHxF}, …); their
     *               kinds decide what {@code options} does to them
     */
    static ServingGraph load(Path dir, ConfigProto config, ModelLoadOptions options, List<String> scopes) {
        MetaGraphDef meta = metaGraph(dir);
        GraphDef def = meta.getGraphDef();
        Set<String> xla = new HashSet<>();
        for (String scope : scopes) {
            if (options.xla().compiles(SignatureKind.ofScope(scope))) {
                xla.add(scope);
            }
        }
        def = XlaMarks.mark(def, xla);
        if (options.textEncoder() == TextEncoderDevice.CPU) {
            def = DevicePlacement.place(def, Set.of(ModelManifest.ENCODE_TEXT, GraphScopes.TEXT_ENCODER_WEIGHTS),
                    DevicePlacement.CPU);
        }
        GroupedRestore restore = GroupedRestore.plan(def, meta.getSaverDef(), options.restoreGroupBytes());
        def = restore.addTo(def);
        Graph graph = new Graph();
        Session session = null;
        try {
            graph.importGraphDef(def);
            session = new Session(graph, config);
            restore.restore(session, dir.resolve("variables").resolve("variables").toString());
            return new ServingGraph(graph, session, Map.copyOf(meta.getSignatureDefMap()), restore.groupBytes());
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            graph.close();
            throw e;
        }
    }

    /** The meta graph tagged {@code serve}. */
    static MetaGraphDef metaGraph(Path dir) {
        SavedModel model;
        try (InputStream in = Files.newInputStream(dir.resolve("saved_model.pb"))) {
            model = SavedModel.parseFrom(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("saved_model.pb"), e);
        }
        return model.getMetaGraphsList().stream()
                .filter(m -> m.getMetaInfoDef().getTagsList().contains(SavedModelWriter.TAG)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(dir + "/saved_model.pb has no meta graph tagged '"
                        + SavedModelWriter.TAG + "'"));
    }

    /** Runs a signature on named inputs and fetches all its outputs. */
    SignatureOutputs call(String signature, Map<String, Tensor> inputs) {
        SignatureDef def = signatures.get(signature);
        if (def == null) {
            throw new IllegalArgumentException("the model has no signature " + signature);
        }
        Session.Runner runner = session.runner();
        for (Map.Entry<String, Tensor> in : inputs.entrySet()) {
            TensorInfo info = def.getInputsMap().get(in.getKey());
            if (info == null) {
                throw new IllegalArgumentException("signature " + signature + " has no input " + in.getKey());
            }
            runner.feed(info.getName(), in.getValue());
        }
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, TensorInfo> out : def.getOutputsMap().entrySet()) {
            names.add(out.getKey());
            runner.fetch(out.getValue().getName());
        }
        return new SignatureOutputs(names, runner.run());
    }

    /** The bytes each restore step read, in order. */
    List<Long> restoreGroups() {
        return restoreGroups;
    }

    /** The graph as it runs (marked and placed), for checking what was prepared. */
    GraphDef graphDef() {
        return graph.toGraphDef();
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
