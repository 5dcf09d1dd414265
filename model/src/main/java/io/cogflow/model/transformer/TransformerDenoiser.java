package io.cogflow.model.transformer;

import io.cogflow.model.Denoiser;
import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.config.ModelFolder;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.TfTensors;
import org.tensorflow.Graph;
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

    /** A position table the session feeds on every call of a shape, computed once when the shape is built. */
    private record PositionFeed(Placeholder<TFloat32> input, TFloat32 value) {
    }

    private record Forward(DenoiseSignature graph, List<PositionFeed> positions) {
    }

    private final TransformerConfig config;
    private final Graph graph;
    private final Ops tf;
    private final ModelVariables weights;
    private final AttentionBudget budget;
    private final Session session;
    private final Map<CallShape, Forward> forwards = new HashMap<>();

    private TransformerDenoiser(TransformerConfig config, DenoiserOptions options) {
        this.config = config;
        this.graph = new Graph();
        try {
            config.requireTextToVideo();
            this.tf = Ops.create(graph);
            this.weights = new ModelVariables(tf, TransformerParameters.specs(config));
            this.budget = options.attention();
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
                .feed(f.graph().latents(), latents)
                .feed(f.graph().timesteps(), timesteps)
                .feed(f.graph().text(), text);
        f.positions().forEach(p -> run.feed(p.input(), p.value()));
        try (Result r = run.fetch(f.graph().v()).run()) {
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
        List<PositionFeed> positions = new ArrayList<>();
        DenoiseSignature g = DenoiseSignature.build(call, config, weights, budget, s.batch(), s.frames(), s.height(),
                s.width(), s.textLen(), (scope, name, rows, cols, values) -> {
                    Placeholder<TFloat32> input = scope.withName(name).placeholder(TFloat32.class,
                            Placeholder.shape(Shape.of(rows, cols)));
                    positions.add(new PositionFeed(input, TfTensors.floats(new long[]{rows, cols}, values)));
                    return input;
                });
        return new Forward(g, List.copyOf(positions));
    }

    @Override
    public synchronized void close() {
        forwards.values().forEach(f -> f.positions().forEach(p -> p.value().close()));
        forwards.clear();
        session.close();
        graph.close();
    }
}
