package io.cogflow.model.export;

import io.cogflow.model.Denoiser;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.tf.TfTensors;
import io.cogflow.model.tokenizer.T5Tokenizer;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

import java.nio.file.Path;
import java.util.Map;

/**
 * An exported cogflow model, loaded once: the signature when keys are trusted ({@link ModelTrust}), the manifest
 * (checked against every file's SHA-256 first), the tokenizer and the SavedModel session with its signatures.
 * Calls are thread-safe; TensorFlow runs concurrent calls on the same session.
 */
public final class ExportedModel implements Denoiser {

    /** A decoded batch: (B, F, 3, H, W) floats in [0, 1] as the reference pipeline returns them, and RGB bytes. */
    public record DecodedVideo(HostTensor video, long[] frameShape, byte[] frames) {
    }

    private final Path dir;
    private final ModelManifest manifest;
    private final T5Tokenizer tokenizer;
    private final SavedModelBundle bundle;

    private ExportedModel(Path dir, ModelManifest manifest, T5Tokenizer tokenizer, SavedModelBundle bundle) {
        this.dir = dir;
        this.manifest = manifest;
        this.tokenizer = tokenizer;
        this.bundle = bundle;
    }

    /** Loads any intact model ({@link ModelTrust#ANY}). */
    public static ExportedModel load(Path dir, SessionOptions options) {
        return load(dir, options, ModelTrust.ANY);
    }

    /**
     * Loads the model if {@code trust} accepts its signature (checked first: nothing of an untrusted model is
     * parsed further), its manifest lists only files inside {@code dir}, and every file matches its SHA-256.
     */
    public static ExportedModel load(Path dir, SessionOptions options, ModelTrust trust) {
        trust.check(dir);
        ModelManifest manifest = ModelManifest.readVerified(dir);
        T5Tokenizer tokenizer = manifest.tokenizerFile() == null ? null
                : T5Tokenizer.load(dir.resolve(manifest.tokenizerFile()));
        SavedModelBundle bundle = SavedModelBundle.loader(dir.toString()).withTags(SavedModelWriter.TAG)
                .withConfigProto(options.toConfigProto()).load();
        return new ExportedModel(dir, manifest, tokenizer, bundle);
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
        long[] flat = new long[ids.length * len];
        for (int b = 0; b < ids.length; b++) {
            if (ids[b].length != len) {
                throw new IllegalArgumentException("token ids must have length " + len + ", got " + ids[b].length);
            }
            System.arraycopy(ids[b], 0, flat, b * len, len);
        }
        try (TInt64 t = TInt64.tensorOf(Shape.of(ids.length, len), DataBuffers.of(flat, true, false));
             Result r = call(ModelManifest.ENCODE_TEXT, Map.of("input_ids", t))) {
            return TfTensors.toHost((TFloat32) r.get("embeddings").orElseThrow());
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
        manifest.requireAttentionBatch(s[0]);
        try (TFloat32 l = TfTensors.floats(latents); TInt64 t = TfTensors.longs(timesteps);
             TFloat32 e = TfTensors.floats(text);
             Result r = call(size.denoise(), Map.of("latents", l, "timesteps", t, "text", e))) {
            return TfTensors.toHost((TFloat32) r.get("v").orElseThrow());
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
                 Result r = call(size.decode(), Map.of("latents", z))) {
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

    private Result call(String signature, Map<String, Tensor> inputs) {
        return bundle.function(signature).call(inputs);
    }

    private void requireTextEncoder() {
        if (!manifest.hasTextEncoder()) {
            throw new IllegalStateException("the model in " + dir + " was exported without a text encoder; it "
                    + "takes precomputed text embeddings only");
        }
    }

    @Override
    public void close() {
        bundle.close();
    }
}
