package io.cogflow.model.export;

import io.cogflow.model.Denoiser;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.tf.TfTensors;
import io.cogflow.model.tokenizer.T5Tokenizer;
import org.tensorflow.Tensor;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An exported cogflow model, loaded once: the signature when keys are trusted ({@link ModelTrust}), the manifest
 * (checked against every file's SHA-256 first), the tokenizer and the SavedModel session with its signatures,
 * prepared as {@link ModelLoadOptions} say (XLA per signature kind, the text encoder's device, restore in bounded
 * groups; see {@link ServingGraph}). Calls are thread-safe; TensorFlow runs concurrent calls on the same session.
 */
public final class ExportedModel implements Denoiser {

    /** A decoded batch: (B, F, 3, H, W) floats in [0, 1] as the reference pipeline returns them, and RGB bytes. */
    public record DecodedVideo(HostTensor video, long[] frameShape, byte[] frames) {
    }

    private final Path dir;
    private final ModelManifest manifest;
    private final T5Tokenizer tokenizer;
    private final ServingGraph graph;
    private final XlaSignatures xla;
    private final XlaBatches xlaBatches = new XlaBatches();

    private ExportedModel(Path dir, ModelManifest manifest, T5Tokenizer tokenizer, ServingGraph graph,
                          XlaSignatures xla) {
        this.dir = dir;
        this.manifest = manifest;
        this.tokenizer = tokenizer;
        this.graph = graph;
        this.xla = xla;
    }

    /** Loads any intact model ({@link ModelTrust#ANY}) with the default {@link ModelLoadOptions}. */
    public static ExportedModel load(Path dir, SessionOptions options) {
        return load(dir, options, ModelTrust.ANY);
    }

    /** As {@link #load(Path, SessionOptions, ModelTrust, ModelLoadOptions)} with the default load options. */
    public static ExportedModel load(Path dir, SessionOptions options, ModelTrust trust) {
        return load(dir, options, trust, ModelLoadOptions.defaults());
    }

    /**
     * Loads the model if {@code trust} accepts its signature (checked first: nothing of an untrusted model is
     * parsed further), its manifest lists only files inside {@code dir}, and every file matches its SHA-256.
     */
    public static ExportedModel load(Path dir, SessionOptions options, ModelTrust trust, ModelLoadOptions load) {
        trust.check(dir);
        ModelManifest manifest = ModelManifest.readVerified(dir);
        T5Tokenizer tokenizer = manifest.tokenizerFile() == null ? null
                : T5Tokenizer.load(dir.resolve(manifest.tokenizerFile()));
        ServingGraph graph = ServingGraph.load(dir, options.toConfigProto(), load, scopes(manifest));
        return new ExportedModel(dir, manifest, tokenizer, graph, load.xla());
    }

    /** Every signature scope the manifest names. */
    private static List<String> scopes(ModelManifest manifest) {
        List<String> scopes = new ArrayList<>();
        if (manifest.hasTextEncoder()) {
            scopes.add(ModelManifest.ENCODE_TEXT);
        }
        for (ModelManifest.Size s : manifest.sizes()) {
            scopes.add(s.denoise());
            scopes.add(s.decode());
        }
        return scopes;
    }

    public Path dir() {
        return dir;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    /** The tokenizer shipped with the model, or an error when it was exported without a text encoder. */
    public T5Tokenizer tokenizer() {
        requireTextEncoder();
        return tokenizer;
    }

    /** T5 embeddings [B, L, D] of token ids [B, L] (L = the model's text length). */
    public HostTensor encodeText(long[][] ids) {
        requireTextEncoder();
        int len = manifest.textLength();
        int rows = xlaBatches.padded(ModelManifest.ENCODE_TEXT, ids.length);
        long[] flat = new long[rows * len]; // padding rows: token id 0, dropped below
        for (int b = 0; b < ids.length; b++) {
            if (ids[b].length != len) {
                throw new IllegalArgumentException("token ids must have length " + len + ", got " + ids[b].length);
            }
            System.arraycopy(ids[b], 0, flat, b * len, len);
        }
        try (TInt64 t = TInt64.tensorOf(Shape.of(rows, len), DataBuffers.of(flat, true, false));
             SignatureOutputs r = call(ModelManifest.ENCODE_TEXT, Map.of("input_ids", t))) {
            return withRows(TfTensors.toHost((TFloat32) r.get("embeddings").orElseThrow()), ids.length);
        }
    }

    /** v-prediction for latents [B, F, C, h, w] of one exported size (F padded for CogVideoX1.5). */
    @Override
    public HostTensor denoise(HostTensor latents, long[] timesteps, HostTensor text) {
        long[] s = latents.shape();
        if (s.length != 5) {
            throw new IllegalArgumentException("latents must be [B, F, C, H, W], got " + latents.shapeString());
        }
        ModelManifest.Size size = manifest.sizeForLatents((int) s[1], (int) s[3], (int) s[4]);
        int batch = (int) s[0];
        manifest.requireAttentionBatch(batch);
        if (timesteps.length != batch || text.shape()[0] != batch) {
            throw new IllegalArgumentException("latents, timesteps and text must have the same batch: " + batch + ", "
                    + timesteps.length + ", " + text.shape()[0]);
        }
        int rows = xlaBatches.padded(size.denoise(), batch);
        try (TFloat32 l = TfTensors.floats(withRows(latents, rows));
             TInt64 t = TfTensors.longs(Arrays.copyOf(timesteps, rows));
             TFloat32 e = TfTensors.floats(withRows(text, rows));
             SignatureOutputs r = call(size.denoise(), Map.of("latents", l, "timesteps", t, "text", e))) {
            return withRows(TfTensors.toHost((TFloat32) r.get("v").orElseThrow()), batch);
        }
    }

    /** Decodes unscaled latents (B, C, F, h, w) — already divided by the VAE scaling factor — of one size. */
    public DecodedVideo decode(HostTensor latents, ModelManifest.Size size) {
        // one video per call: the signature's batch is free, but its activations grow with it (a 480x720x49
        // video alone needs GBs), so the peak stays that of one video whatever the batch; outputs are stacked
        long[] in = latents.shape();
        int batch = (int) in[0];
        int perVideo = latents.data().length / Math.max(batch, 1);
        float[] video = null;
        byte[] bytes = null;
        long[] videoShape = null;
        long[] frameShape = null;
        for (int b = 0; b < batch; b++) {
            long[] one = in.clone();
            one[0] = 1;
            float[] slice = java.util.Arrays.copyOfRange(latents.data(), b * perVideo, (b + 1) * perVideo);
            try (TFloat32 z = TfTensors.floats(new HostTensor(one, slice));
                 SignatureOutputs r = call(size.decode(), Map.of("latents", z))) {
                HostTensor v = TfTensors.toHost((TFloat32) r.get("video").orElseThrow());
                TUint8 frames = (TUint8) r.get("frames").orElseThrow();
                if (video == null) {
                    videoShape = v.shape().clone();
                    videoShape[0] = batch;
                    frameShape = frames.shape().asArray();
                    frameShape[0] = batch;
                    video = new float[Math.multiplyExact(v.data().length, batch)];
                    bytes = new byte[Math.toIntExact(Math.multiplyExact(frames.shape().size(), (long) batch))];
                }
                System.arraycopy(v.data(), 0, video, b * v.data().length, v.data().length);
                int n = Math.toIntExact(frames.shape().size());
                byte[] part = new byte[n];
                frames.asRawTensor().data().read(part);
                System.arraycopy(part, 0, bytes, b * n, n);
            }
        }
        if (video == null) {
            throw new IllegalArgumentException("latents must hold at least one video, got " + latents.shapeString());
        }
        return new DecodedVideo(new HostTensor(videoShape, video), frameShape, bytes);
    }

    /**
     * The batch sizes (rows) a warm-up runs through each signature.
     *
     * @param text  rows of {@code encode_text} calls
     * @param sizes per exported size ({@link ModelManifest.Size#video()}), the rows of its {@code denoise} and
     *              {@code decode} calls; a size not listed is not warmed up
     */
    public record WarmUpPlan(List<Integer> text, Map<VideoSize, SizeRows> sizes) {
        public WarmUpPlan {
            text = positive(text);
            sizes = Map.copyOf(sizes);
        }
    }

    /** The rows of one size's {@code denoise} and {@code decode} calls. */
    public record SizeRows(List<Integer> denoise, List<Integer> decode) {
        public SizeRows {
            denoise = positive(denoise);
            decode = positive(decode);
        }
    }

    private static List<Integer> positive(List<Integer> rows) {
        if (rows.stream().anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("warm-up batch sizes must be >= 1, got " + rows);
        }
        return List.copyOf(rows);
    }

    /** What a warm-up ran: signature calls and wall time. */
    public record WarmUp(int calls, long millis) {
    }

    /**
     * Runs each shape of {@code plan} through its signature once (zeros in), so that TensorFlow has built the
     * executors, oneDNN primitives and — for XLA signatures — the compiled clusters of every shape serving will
     * use: XLA compiles once per input shape, and the batch is the only free dimension.
     */
    public WarmUp warmUp(WarmUpPlan plan) {
        long start = System.nanoTime();
        int calls = 0;
        if (manifest.hasTextEncoder()) {
            for (int b : rowsToRun(SignatureKind.ENCODE_TEXT, ModelManifest.ENCODE_TEXT, plan.text())) {
                encodeText(new long[b][manifest.textLength()]);
                calls++;
            }
        }
        long[] textShape = {manifest.textLength(), manifest.textEmbedDim()};
        for (Map.Entry<VideoSize, SizeRows> e : plan.sizes().entrySet()) {
            ModelManifest.Size size = manifest.size(e.getKey());
            long[] latentShape = {size.paddedFrames(), manifest.latentChannels(), size.latentHeight(),
                    size.latentWidth()};
            for (int b : rowsToRun(SignatureKind.DENOISE, size.denoise(), e.getValue().denoise())) {
                long[] t = new long[b];
                Arrays.fill(t, 999);
                denoise(zeros(b, latentShape), t, zeros(b, textShape));
                calls++;
            }
            long[] vaeShape = {manifest.latentChannels(), size.latentFrames(), size.latentHeight(),
                    size.latentWidth()};
            for (int b : rowsToRun(SignatureKind.DECODE, size.decode(), e.getValue().decode())) {
                decode(zeros(b, vaeShape), size);
                calls++;
            }
        }
        return new WarmUp(calls, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The calls a warm-up makes of one signature: without XLA one call at the smallest row count (TensorFlow
     * builds one executor per signature, whatever the batch); for an XLA signature at most
     * {@link XlaBatches#MAX_SHAPES} of them, each as often as TensorFlow's lazy compilation needs to compile it,
     * and recorded so later batches are padded onto them. Decode is not padded (its rows are whole videos).
     */
    private List<Integer> rowsToRun(SignatureKind kind, String signature, List<Integer> rows) {
        if (rows.isEmpty()) {
            return rows;
        }
        if (!xla.compiles(kind)) {
            // without XLA nothing is compiled per shape: the first call builds the executor every batch shares
            return List.of(java.util.Collections.min(rows));
        }
        List<Integer> chosen = kind == SignatureKind.DECODE ? List.copyOf(new java.util.TreeSet<>(rows))
                : XlaBatches.choose(rows);
        if (kind != SignatureKind.DECODE) {
            xlaBatches.record(signature, chosen);
        }
        List<Integer> calls = new ArrayList<>();
        for (int b : chosen) {
            for (int i = 0; i < XlaBatches.CALLS_TO_COMPILE; i++) {
                calls.add(b);
            }
        }
        return calls;
    }

    /**
     * {@code t} with exactly {@code rows} rows: zero rows appended (padding a batch onto a compiled size) or the
     * first rows kept (the padding dropped again); itself when it has that many.
     */
    private static HostTensor withRows(HostTensor t, int rows) {
        long have = t.shape()[0];
        if (have == rows) {
            return t;
        }
        long[] shape = t.shape().clone();
        shape[0] = rows;
        return new HostTensor(shape, Arrays.copyOf(t.data(), Math.toIntExact(t.data().length / have * rows)));
    }

    private static HostTensor zeros(int batch, long[] shape) {
        long[] full = new long[shape.length + 1];
        full[0] = batch;
        System.arraycopy(shape, 0, full, 1, shape.length);
        return HostTensor.zeros(full);
    }

    private SignatureOutputs call(String signature, Map<String, Tensor> inputs) {
        return graph.call(signature, inputs);
    }

    /** The graph as this model runs it: the exported one with the load options' XLA marks, devices and restore. */
    public GraphDef servingGraph() {
        return graph.graphDef();
    }

    /** The bytes each restore step read, in order. */
    public List<Long> restoreGroups() {
        return graph.restoreGroups();
    }

    private void requireTextEncoder() {
        if (!manifest.hasTextEncoder()) {
            throw new IllegalStateException("the model in " + dir + " was exported without a text encoder; it "
                    + "takes precomputed text embeddings only");
        }
    }

    @Override
    public void close() {
        graph.close();
    }
}
