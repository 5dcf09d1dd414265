package io.cogflow.model.transformer;

import io.cogflow.model.Denoiser;
import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.config.ModelFolder;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.TfTensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A CogVideoX transformer in a TensorFlow session. The weights live once in resource variables; the forward
 * graph is built per call shape on first use (static shapes let attention chunking be planned exactly) and
 * reused, with its positional tables computed once in Java and kept as tensors.
 */
public final class TransformerDenoiser implements Denoiser {

    private record CallShape(long batch, int frames, int height, int width, long textLen) {
    }

    private record Forward(Placeholder<TFloat32> latents, Placeholder<TInt64> timesteps, Placeholder<TFloat32> text,
                           List<Placeholder<TFloat32>> positionInputs, List<TFloat32> positionValues,
                           Operand<TFloat32> output) {
    }

    private final TransformerConfig config;
    private final Graph graph;
    private final Ops tf;
    private final ModelVariables weights;
    private final CogVideoXTransformer transformer;
    private final Session session;
    private final Map<CallShape, Forward> forwards = new HashMap<>();

    private TransformerDenoiser(TransformerConfig config, DenoiserOptions options) {
        this.config = config;
        this.graph = new Graph();
        try {
            this.tf = Ops.create(graph);
            List<ParameterSpec> specs = TransformerParameters.specs(config);
            this.weights = new ModelVariables(tf, specs);
            this.transformer = new CogVideoXTransformer(config, weights, options.attention());
            this.session = new Session(graph, options.session().toConfigProto());
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /**
     * Loads a diffusers transformer folder ({@code config.json} + safetensors), or a model root holding it in
     * {@code transformer/}.
     */
    public static TransformerDenoiser load(Path location, DenoiserOptions options) {
        Path dir = ModelFolder.component(location, "transformer");
        TransformerConfig config = TransformerConfig.load(dir.resolve("config.json"));
        TransformerDenoiser d = new TransformerDenoiser(config, options);
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            d.weights.load(d.session, ckpt);
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** The graph without weight values: enough to build and inspect call graphs, not to run them. */
    static TransformerDenoiser unassigned(TransformerConfig config, DenoiserOptions options) {
        return new TransformerDenoiser(config, options);
    }

    /** A transformer with weights from a function of each parameter (TF layout), e.g. seeded random ones. */
    public static TransformerDenoiser withWeights(TransformerConfig config, DenoiserOptions options,
                                                  Function<ParameterSpec, float[]> values) {
        TransformerDenoiser d = new TransformerDenoiser(config, options);
        try {
            d.weights.assignAll(d.session, values);
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    public TransformerConfig config() {
        return config;
    }

    /** The underlying graph, for inspection (e.g. checking what attention materialises). */
    Graph graph() {
        return graph;
    }

    @Override
    public HostTensor denoise(HostTensor latents, long[] timesteps, HostTensor text) {
        try (TFloat32 l = TfTensors.floats(latents);
             TInt64 t = TfTensors.longs(timesteps);
             TFloat32 e = TfTensors.floats(text)) {
            return run(l, t, e, TfTensors::toHost);
        }
    }

    /** Tensor-level call; the caller owns (and closes) the returned tensor. */
    public TFloat32 denoise(TFloat32 latents, TInt64 timesteps, TFloat32 text) {
        return run(latents, timesteps, text, out -> {
            TFloat32 copy = TFloat32.tensorOf(out.shape());
            out.copyTo(copy);
            return copy;
        });
    }

    /** Runs one call and reads the output before the session's result (and its tensor) is released. */
    private <R> R run(TFloat32 latents, TInt64 timesteps, TFloat32 text, Function<TFloat32, R> read) {
        Forward f = forward(callShape(latents.shape(), timesteps.shape(), text.shape()));
        Session.Runner run = session.runner()
                .feed(f.latents(), latents)
                .feed(f.timesteps(), timesteps)
                .feed(f.text(), text);
        for (int i = 0; i < f.positionInputs().size(); i++) {
            run.feed(f.positionInputs().get(i), f.positionValues().get(i));
        }
        try (Result r = run.fetch(f.output()).run()) {
            return read.apply((TFloat32) r.get(0));
        }
    }

    /**
     * Builds the forward graph for a call shape ahead of the first call (serving warms up its buckets this
     * way); later calls of that shape reuse it.
     */
    public void prepare(int batch, int latentFrames, int latentHeight, int latentWidth, int textLen) {
        forward(callShape(Shape.of(batch, latentFrames, config.inChannels(), latentHeight, latentWidth),
                Shape.of(batch), Shape.of(batch, textLen, config.textEmbedDim())));
    }

    private CallShape callShape(Shape latents, Shape timesteps, Shape text) {
        if (latents.numDimensions() != 5) {
            throw new IllegalArgumentException("latents must be [B, F, C, H, W], got " + latents);
        }
        long batch = latents.size(0);
        if (latents.size(2) != config.inChannels()) {
            throw new IllegalArgumentException("latents have " + latents.size(2) + " channels, the model expects "
                    + config.inChannels() + " (latents are [B, F, C, H, W])");
        }
        if (timesteps.numDimensions() != 1 || timesteps.size(0) != batch) {
            throw new IllegalArgumentException("need one timestep per sample: " + batch + ", got shape "
                    + timesteps);
        }
        if (text.numDimensions() != 3 || text.size(0) != batch || text.size(2) != config.textEmbedDim()) {
            throw new IllegalArgumentException("text embeddings must be [" + batch + ", T, "
                    + config.textEmbedDim() + "], got " + text);
        }
        if (text.size(1) <= 0) {
            throw new IllegalArgumentException("text embeddings have no tokens");
        }
        // validates patch divisibility with a clear message
        LatentGrid.of(config, (int) latents.size(1), (int) latents.size(3), (int) latents.size(4));
        return new CallShape(batch, (int) latents.size(1), (int) latents.size(3), (int) latents.size(4),
                text.size(1));
    }

    private synchronized Forward forward(CallShape s) {
        return forwards.computeIfAbsent(s, this::build);
    }

    private Forward build(CallShape s) {
        Ops call = tf.withSubScope("forward_b" + s.batch() + "_f" + s.frames() + "_h" + s.height() + "_w"
                + s.width() + "_t" + s.textLen());
        Placeholder<TFloat32> latents = call.withName("latents").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(s.batch(), s.frames(), config.inChannels(), s.height(), s.width())));
        Placeholder<TInt64> timesteps = call.withName("timesteps").placeholder(TInt64.class,
                Placeholder.shape(Shape.of(s.batch())));
        Placeholder<TFloat32> text = call.withName("text").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(s.batch(), s.textLen(), config.textEmbedDim())));
        LatentGrid grid = LatentGrid.of(config, s.frames(), s.height(), s.width());
        List<Placeholder<TFloat32>> posIn = new ArrayList<>();
        List<TFloat32> posVal = new ArrayList<>();
        TransformerInputs inputs;
        if (config.positionEncoding() == PositionEncoding.SINCOS_3D) {
            Placeholder<TFloat32> table = positionInput(call, "sincos", grid.tokens(), config.innerDim());
            posIn.add(table);
            posVal.add(TfTensors.floats(new long[]{grid.tokens(), config.innerDim()},
                    SinCosPositions.table(config, grid)));
            inputs = new TransformerInputs(latents, timesteps, text, table, null, null);
        } else {
            RotaryPositions rope = RotaryPositions.of(config, grid);
            Placeholder<TFloat32> cos = positionInput(call, "rope_cos", rope.tokens(), rope.headDim());
            Placeholder<TFloat32> sin = positionInput(call, "rope_sin", rope.tokens(), rope.headDim());
            posIn.add(cos);
            posIn.add(sin);
            long[] shape = {rope.tokens(), rope.headDim()};
            posVal.add(TfTensors.floats(shape, rope.cos()));
            posVal.add(TfTensors.floats(shape, rope.sin()));
            inputs = new TransformerInputs(latents, timesteps, text, null, cos, sin);
        }
        Operand<TFloat32> out = transformer.forward(call, inputs);
        return new Forward(latents, timesteps, text, posIn, posVal, out);
    }

    private static Placeholder<TFloat32> positionInput(Ops tf, String name, long rows, long cols) {
        return tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(Shape.of(rows, cols)));
    }

    @Override
    public synchronized void close() {
        forwards.values().forEach(f -> f.positionValues().forEach(TFloat32::close));
        forwards.clear();
        session.close();
        graph.close();
    }
}
