package io.cogflow.model.vae;

import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.config.ModelFolder;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.TfTensors;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The CogVideoX 3D causal VAE ({@code AutoencoderKLCogVideoX}) in a TensorFlow session, chunked in time exactly
 * as the reference: decoding runs latent frames in chunks of 2 (remainder first), encoding video frames in
 * chunks of 8, each chunk carrying its causal convolutions' last frames to the next. Memory is that of one
 * chunk whatever the video length, and decoded frames can be streamed out chunk by chunk.
 * <p>
 * Latents here are <em>unscaled</em>: {@link #decode} expects latents already divided by
 * {@link VaeConfig#scalingFactor()}, and {@link #encode} returns the posterior before multiplying by it. Scaling
 * belongs to the pipeline. Videos are (B, C, T, H, W) with values in [−1, 1].
 */
public final class CogVideoXVae implements AutoCloseable {

    private enum Network { ENCODER, DECODER }

    private record GraphKey(Network network, List<Long> inputShape, boolean resumed) {
    }

    private final VaeConfig config;
    private final VaeOptions options;
    private final Graph graph;
    private final Ops tf;
    private final ModelVariables weights;
    private final Session session;
    private final Map<GraphKey, ChunkGraph> graphs = new HashMap<>();

    private CogVideoXVae(VaeConfig config, VaeOptions options, List<ParameterSpec> specs) {
        this.config = config;
        this.options = options;
        this.graph = new Graph();
        try {
            this.tf = Ops.create(graph);
            this.weights = new ModelVariables(tf, specs);
            this.session = new Session(graph, options.session().toConfigProto());
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /**
     * Loads a diffusers VAE folder ({@code config.json} + {@code diffusion_pytorch_model.safetensors}), or a
     * model root holding it in {@code vae/}. The checkpoint must hold exactly the encoder and decoder the config
     * describes.
     */
    public static CogVideoXVae load(Path location, VaeOptions options) {
        Path dir = ModelFolder.component(location, "vae");
        VaeConfig config = VaeConfig.load(dir.resolve("config.json"));
        CogVideoXVae vae = new CogVideoXVae(config, options, VaeParameters.specs(config));
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            vae.weights.load(vae.session, ckpt);
            return vae;
        } catch (RuntimeException e) {
            vae.close();
            throw e;
        }
    }

    /** A VAE with weights from a function of each parameter (TF layout), e.g. seeded random ones. */
    public static CogVideoXVae withWeights(VaeConfig config, VaeOptions options,
                                           Function<ParameterSpec, float[]> values) {
        CogVideoXVae vae = new CogVideoXVae(config, options, VaeParameters.specs(config));
        try {
            vae.weights.assignAll(vae.session, values);
            return vae;
        } catch (RuntimeException e) {
            vae.close();
            throw e;
        }
    }

    public VaeConfig config() {
        return config;
    }

    /** Decodes unscaled latents (B, latent, F, h, w) to a video (B, out, F', 8h, 8w), F' = 1 + 4(F − 1) for odd F. */
    public HostTensor decode(HostTensor latents) {
        VideoTensors.requireVideo(latents, "latents");
        if (options.sliceBatch() && latents.dim(0) > 1) {
            List<HostTensor> items = new ArrayList<>();
            for (int b = 0; b < latents.dim(0); b++) {
                items.add(decodeWhole(VideoTensors.slice(latents, 0, b, b + 1)));
            }
            return VideoTensors.concat(items, 0);
        }
        return decodeWhole(latents);
    }

    private HostTensor decodeWhole(HostTensor latents) {
        List<HostTensor> chunks = new ArrayList<>();
        decodeStream(latents).forEachRemaining(chunks::add);
        return VideoTensors.concat(chunks, 2);
    }

    /**
     * Decodes chunk by chunk, the reference's split: each element is the next run of video frames (9 for a first
     * chunk of 3 latent frames, 8 for each later chunk of 2), ready to stream out before the rest is decoded.
     */
    public Iterator<HostTensor> decodeStream(HostTensor latents) {
        VideoTensors.requireVideo(latents, "latents");
        requireChannels(latents, config.latentChannels(), "latents");
        return new ChunkedRun(Network.DECODER, latents, FrameChunks.plan((int) latents.dim(2),
                FrameChunks.LATENT_FRAMES), tilePlan(Network.DECODER, latents));
    }

    /**
     * Decodes one chunk of latents, resuming from {@code carried} (a fresh instance starts a video). Feeding a
     * video's chunks in order, split as {@link FrameChunks#plan} says, gives exactly {@link #decode}'s frames.
     * Untiled.
     */
    public HostTensor decodeChunk(HostTensor latentChunk, CarriedFrames carried) {
        VideoTensors.requireVideo(latentChunk, "latents");
        requireChannels(latentChunk, config.latentChannels(), "latents");
        return runChunk(Network.DECODER, latentChunk, carried);
    }

    /**
     * Encodes a video (B, in, F, H, W) in [−1, 1] to the latent posterior (B, latent, F', H/8, W/8). Sizes that
     * are not multiples of 8 work as in the reference: each downsampler halves, rounding down.
     */
    public LatentDistribution encode(HostTensor video) {
        VideoTensors.requireVideo(video, "video");
        requireChannels(video, config.inChannels(), "video");
        List<HostTensor> items = new ArrayList<>();
        if (options.sliceBatch() && video.dim(0) > 1) {
            for (int b = 0; b < video.dim(0); b++) {
                items.add(encodeMoments(VideoTensors.slice(video, 0, b, b + 1)));
            }
        } else {
            items.add(encodeMoments(video));
        }
        HostTensor moments = VideoTensors.concat(items, 0);
        int latent = config.latentChannels();
        HostTensor mean = VideoTensors.slice(moments, 1, 0, latent);
        HostTensor logvar = VideoTensors.slice(moments, 1, latent, 2 * latent);
        float[] lv = logvar.data();
        for (int i = 0; i < lv.length; i++) {
            lv[i] = Math.max(-30f, Math.min(20f, lv[i]));
        }
        return new LatentDistribution(mean, logvar);
    }

    private HostTensor encodeMoments(HostTensor video) {
        List<HostTensor> chunks = new ArrayList<>();
        new ChunkedRun(Network.ENCODER, video, FrameChunks.plan((int) video.dim(2), FrameChunks.VIDEO_FRAMES),
                tilePlan(Network.ENCODER, video)).forEachRemaining(chunks::add);
        return VideoTensors.concat(chunks, 2);
    }

    private void requireChannels(HostTensor x, int channels, String what) {
        if (x.dim(1) != channels) {
            throw new IllegalArgumentException(what + " must have " + channels + " channels, got "
                    + x.shapeString());
        }
    }

    /** The tile plan when tiling is on and the input exceeds one tile, else {@code null}. */
    private TilePlan tilePlan(Network network, HostTensor input) {
        VaeTiling t = options.tiling();
        if (t == null) {
            return null;
        }
        int s = config.spatialScale();
        int h = (int) input.dim(3);
        int w = (int) input.dim(4);
        if (network == Network.DECODER) {
            boolean large = w > (int) ((double) t.tileSampleWidth() / s) || h > (int) ((double) t.tileSampleHeight() / s);
            return large ? TilePlan.forDecode(t, s, h, w) : null;
        }
        boolean large = w > t.tileSampleWidth() || h > t.tileSampleHeight();
        return large ? TilePlan.forEncode(t, s, h, w) : null;
    }

    /** Runs one chunk graph, feeding and replacing the carried frames. */
    private HostTensor runChunk(Network network, HostTensor input, CarriedFrames carried) {
        carried.checkNext(input.shape());
        boolean resumed = carried.started();
        ChunkGraph g = graphFor(network, input.shape(), resumed);
        List<TFloat32> fed = new ArrayList<>();
        try {
            Session.Runner runner = session.runner();
            TFloat32 in = TfTensors.floats(input);
            fed.add(in);
            runner.feed(g.input(), in);
            if (resumed) {
                List<HostTensor> previous = carried.frames();
                for (int i = 0; i < previous.size(); i++) {
                    TFloat32 t = TfTensors.floats(previous.get(i));
                    fed.add(t);
                    runner.feed(g.carriedIn().get(i), t);
                }
            }
            runner.fetch(g.output());
            g.carriedOut().forEach(runner::fetch);
            try (Result r = runner.run()) {
                HostTensor out = TfTensors.toHost((TFloat32) r.get(0));
                List<HostTensor> next = new ArrayList<>();
                for (int i = 1; i < r.size(); i++) {
                    next.add(TfTensors.toHost((TFloat32) r.get(i)));
                }
                carried.update(input.shape(), next);
                return out;
            }
        } finally {
            fed.forEach(TFloat32::close);
        }
    }

    private synchronized ChunkGraph graphFor(Network network, long[] inputShape, boolean resumed) {
        GraphKey key = new GraphKey(network, Arrays.stream(inputShape).boxed().toList(), resumed);
        return graphs.computeIfAbsent(key, k -> network == Network.DECODER
                ? DecoderGraph.build(tf, config, weights, inputShape, resumed)
                : EncoderGraph.build(tf, config, weights, inputShape, resumed));
    }

    /** A video's time chunks, each run over every spatial tile (one carried state per tile) and blended. */
    private final class ChunkedRun implements Iterator<HostTensor> {
        private final Network network;
        private final HostTensor input;
        private final List<FrameChunks.Range> chunks;
        private final TilePlan tiles;
        private final CarriedFrames[][] carried;
        private int next;

        ChunkedRun(Network network, HostTensor input, List<FrameChunks.Range> chunks, TilePlan tiles) {
            this.network = network;
            this.input = input;
            this.chunks = chunks;
            this.tiles = tiles;
            int rows = tiles == null ? 1 : tiles.rowStarts.size();
            int cols = tiles == null ? 1 : tiles.columnStarts.size();
            this.carried = new CarriedFrames[rows][cols];
            for (CarriedFrames[] row : carried) {
                for (int j = 0; j < cols; j++) {
                    row[j] = new CarriedFrames();
                }
            }
        }

        @Override
        public boolean hasNext() {
            return next < chunks.size();
        }

        @Override
        public HostTensor next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            FrameChunks.Range range = chunks.get(next++);
            HostTensor chunk = VideoTensors.slice(input, 2, range.start(), range.end());
            if (tiles == null) {
                return runChunk(network, chunk, carried[0][0]);
            }
            HostTensor[][] outputs = new HostTensor[carried.length][carried[0].length];
            for (int i = 0; i < outputs.length; i++) {
                int top = tiles.rowStarts.get(i);
                HostTensor band = VideoTensors.slice(chunk, 3, top,
                        (int) Math.min(top + tiles.tileInHeight, chunk.dim(3)));
                for (int j = 0; j < outputs[i].length; j++) {
                    int left = tiles.columnStarts.get(j);
                    HostTensor tile = VideoTensors.slice(band, 4, left,
                            (int) Math.min(left + tiles.tileInWidth, band.dim(4)));
                    outputs[i][j] = runChunk(network, tile, carried[i][j]);
                }
            }
            return tiles.assemble(outputs);
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
