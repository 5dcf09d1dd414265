package io.cogflow.model.t5;

import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.config.ModelFolder;
import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.tf.TfTensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A T5 v1.1 encoder ({@code T5EncoderModel}) in a TensorFlow session: token ids [B, L] → {@code last_hidden_state}
 * [B, L, d_model], with no attention mask (every position, padding included, is attended, as CogVideoX does).
 * The weights live once in resource variables; the forward graph is built per (B, L) on first use and reused,
 * with its relative-position buckets computed in Java and held as a constant of that graph.
 */
public final class T5TextEncoder implements AutoCloseable {

    private record CallShape(long batch, long length) {
    }

    private record Forward(Placeholder<TInt64> ids, T5EncoderGraph.Outputs outputs) {
        Operand<TFloat32> output() {
            return outputs.output();
        }
    }

    private final T5Config config;
    private final Graph graph;
    private final Ops tf;
    private final ModelVariables weights;
    private final T5EncoderGraph encoder;
    private final Session session;
    private final Map<CallShape, Forward> forwards = new HashMap<>();

    private T5TextEncoder(T5Config config, SessionOptions options) {
        this.config = config;
        this.graph = new Graph();
        try {
            this.tf = Ops.create(graph);
            this.weights = new ModelVariables(tf, T5Parameters.specs(config));
            this.encoder = new T5EncoderGraph(config, weights);
            this.session = new Session(graph, options.toConfigProto());
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /**
     * Loads a transformers T5 encoder folder ({@code config.json} + {@code model.safetensors} or a sharded
     * {@code model.safetensors.index.json}), or a CogVideoX model root holding it in {@code text_encoder/}.
     */
    public static T5TextEncoder load(Path location, SessionOptions options) {
        Path dir = ModelFolder.component(location, "text_encoder");
        T5Config config = T5Config.load(dir.resolve("config.json"));
        T5TextEncoder e = new T5TextEncoder(config, options);
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            e.weights.load(e.session, ckpt);
            return e;
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    /** An encoder with weights from a function of each parameter (TF layout), e.g. seeded random ones. */
    public static T5TextEncoder withWeights(T5Config config, SessionOptions options,
                                            Function<ParameterSpec, float[]> values) {
        T5TextEncoder e = new T5TextEncoder(config, options);
        try {
            e.weights.assignAll(e.session, values);
            return e;
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    public T5Config config() {
        return config;
    }

    /** Encodes B rows of L token ids each → [B, L, d_model]. */
    public HostTensor encode(long[][] ids) {
        try (TInt64 t = idTensor(ids)) {
            return run(t, List.of(Forward::output), TfTensors::toHost).get(0);
        }
    }

    /** Tensor-level call on ids [B, L]; the caller owns (and closes) the returned [B, L, d_model] tensor. */
    public TFloat32 encode(TInt64 ids) {
        return run(ids, List.of(Forward::output), out -> {
            TFloat32 copy = TFloat32.tensorOf(out.shape());
            out.copyTo(copy);
            return copy;
        }).get(0);
    }

    /**
     * The outputs of every module, for debugging against a reference, keyed as transformers' module outputs
     * (a tuple's i-th element gets the suffix {@code .i}): {@code encoder.embed_tokens};
     * {@code encoder.block.i.0} (block output [B, L, d_model]) and {@code encoder.block.i.1} (the shared
     * position bias [1, heads, L, L]); {@code encoder.final_layer_norm} (= {@code last_hidden_state}).
     */
    public Map<String, HostTensor> intermediates(long[][] ids) {
        Map<String, Function<Forward, Operand<TFloat32>>> fetches = new LinkedHashMap<>();
        fetches.put("encoder.embed_tokens", f -> f.outputs().embeddings());
        for (int i = 0; i < config.numLayers(); i++) {
            int block = i;
            fetches.put("encoder.block." + i + ".0", f -> f.outputs().blocks().get(block));
            fetches.put("encoder.block." + i + ".1", f -> f.outputs().positionBias());
        }
        fetches.put("encoder.final_layer_norm", Forward::output);
        List<HostTensor> values;
        try (TInt64 t = idTensor(ids)) {
            values = run(t, List.copyOf(fetches.values()), TfTensors::toHost);
        }
        Map<String, HostTensor> out = new LinkedHashMap<>();
        int i = 0;
        for (String name : fetches.keySet()) {
            out.put(name, values.get(i++));
        }
        return out;
    }

    /** Builds the graph for [batch, length] ids ahead of the first call; later calls of that shape reuse it. */
    public void prepare(int batch, int length) {
        forward(callShape(Shape.of(batch, length)));
    }

    private <R> List<R> run(TInt64 ids, List<Function<Forward, Operand<TFloat32>>> fetches,
                            Function<TFloat32, R> read) {
        Forward f = forward(callShape(ids.shape()));
        checkVocabulary(ids);
        Session.Runner runner = session.runner().feed(f.ids(), ids);
        // an operand asked for twice (the shared position bias) is fetched once
        List<Operand<TFloat32>> distinct = new ArrayList<>();
        int[] slot = new int[fetches.size()];
        for (int i = 0; i < fetches.size(); i++) {
            Operand<TFloat32> op = fetches.get(i).apply(f);
            int at = distinct.indexOf(op);
            if (at < 0) {
                at = distinct.size();
                distinct.add(op);
                runner.fetch(op);
            }
            slot[i] = at;
        }
        try (Result r = runner.run()) {
            List<R> values = new ArrayList<>(distinct.size());
            for (int i = 0; i < distinct.size(); i++) {
                values.add(read.apply((TFloat32) r.get(i)));
            }
            List<R> out = new ArrayList<>(fetches.size());
            for (int at : slot) {
                out.add(values.get(at));
            }
            return out;
        }
    }

    private CallShape callShape(Shape ids) {
        if (ids.numDimensions() != 2) {
            throw new IllegalArgumentException("token ids must be [B, L], got " + ids);
        }
        if (ids.size(0) <= 0 || ids.size(1) <= 0) {
            throw new IllegalArgumentException("token ids must have at least one row and one token, got " + ids);
        }
        if (ids.size(1) > 46_340) {
            throw new IllegalArgumentException("sequence of " + ids.size(1) + " tokens is too long for the "
                    + "[L, L] position-bias table");
        }
        return new CallShape(ids.size(0), ids.size(1));
    }

    private void checkVocabulary(TInt64 ids) {
        long n = ids.shape().size();
        long[] flat = new long[Math.toIntExact(n)];
        ids.asRawTensor().data().asLongs().read(flat);
        for (int i = 0; i < flat.length; i++) {
            if (flat[i] < 0 || flat[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + flat[i] + " at [" + i / ids.shape().size(1) + ", "
                        + i % ids.shape().size(1) + "] is outside the vocabulary [0, " + config.vocabSize() + ")");
            }
        }
    }

    private static TInt64 idTensor(long[][] ids) {
        if (ids.length == 0 || ids[0].length == 0) {
            throw new IllegalArgumentException("token ids must have at least one row and one token");
        }
        int len = ids[0].length;
        long[] flat = new long[Math.multiplyExact(ids.length, len)];
        for (int b = 0; b < ids.length; b++) {
            if (ids[b].length != len) {
                throw new IllegalArgumentException("token id rows must have equal lengths: row 0 has " + len
                        + ", row " + b + " has " + ids[b].length + " (pad them)");
            }
            System.arraycopy(ids[b], 0, flat, b * len, len);
        }
        return TInt64.tensorOf(Shape.of(ids.length, len), DataBuffers.of(flat, true, false));
    }

    private synchronized Forward forward(CallShape s) {
        return forwards.computeIfAbsent(s, this::build);
    }

    private Forward build(CallShape s) {
        Ops call = tf.withSubScope("encode_b" + s.batch() + "_l" + s.length());
        Placeholder<TInt64> ids = call.withName("input_ids").placeholder(TInt64.class,
                Placeholder.shape(Shape.of(s.batch(), s.length())));
        int len = (int) s.length();
        int[] table = RelativePositionBuckets.table(len, config);
        Operand<TInt32> buckets = call.withName("relative_buckets").constant(Shape.of(len, len),
                DataBuffers.of(table, true, false));
        return new Forward(ids, encoder.forward(call, ids, buckets));
    }

    @Override
    public synchronized void close() {
        forwards.clear();
        session.close();
        graph.close();
    }
}
