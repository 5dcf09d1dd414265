package io.cogflow.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.checkpoint.SafetensorsWriter;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.vae.CogVideoXVae;
import io.cogflow.model.vae.VaeOptions;
import io.cogflow.training.data.ClipDataset;
import io.cogflow.training.data.ClipSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training clips of stage 2, encoded once by the frozen stage-1 VAE and kept in the work folder, so the
 * transformer's steps never run the encoder. Encoding also sets the VAE's {@code scaling_factor} to 1/std of these
 * latents, as the released models' factor was chosen, and measures the VAE's reconstruction. A progressive recipe
 * also gets the same clips rendered at its low resolution, brought to spread 1 by their own statistics so both
 * phases of stage 2 see latents of the spread the noise schedule assumes.
 */
final class LatentCache {
    /** Latent clips are drawn from a range of indices the VAE's crops never used. */
    private static final long CLIP_OFFSET = 1L << 40;

    /** @param shape [clips, frames, channels, height, width]: scaled and frames first, as the transformer reads */
    record Latents(float[] data, long[] shape) {
        int clips() {
            return (int) shape[0];
        }

        int perClip() {
            return data.length / clips();
        }

        /**
         * Each clip's first latent frame: the causal VAE encodes a clip's first video frame alone, so this is how
         * CogVideoX encodes a still image (one frame, one latent frame). An image phase trains on these.
         */
        Latents firstFrames() {
            int perFrame = Math.toIntExact(shape[2] * shape[3] * shape[4]);
            int per = perClip();
            float[] out = new float[clips() * perFrame];
            for (int i = 0; i < clips(); i++) {
                System.arraycopy(data, i * per, out, i * perFrame, perFrame);
            }
            return new Latents(out, new long[] {shape[0], 1, shape[2], shape[3], shape[4]});
        }
    }

    /** The VAE's posterior means, [channels, frames, height, width] a clip, and its first batch's PSNR. */
    private record Encoded(List<float[]> means, long[] clipShape, double psnr) {
        /** The same latents with channel c times {@code scale[c]}, as the VAE folded by those scales encodes them. */
        Encoded scaled(double[] scale) {
            int perChannel = Math.toIntExact(clipShape[1] * clipShape[2] * clipShape[3]);
            List<float[]> out = new ArrayList<>(means.size());
            for (float[] m : means) {
                float[] s = new float[m.length];
                for (int i = 0; i < m.length; i++) {
                    s[i] = (float) (m[i] * scale[i / perChannel]);
                }
                out.add(s);
            }
            return new Encoded(out, clipShape, psnr);
        }
    }

    private final TrainingRecipe recipe;
    private final WorkFolder work;
    private final SessionOptions options;
    private final PrintStream log;
    private final TrainingProgress progress;

    LatentCache(TrainingRecipe recipe, WorkFolder work, SessionOptions options, PrintStream log,
                TrainingProgress progress) {
        this.recipe = recipe;
        this.work = work;
        this.options = options;
        this.log = log;
        this.progress = progress;
    }

    /** The i-th latent clip of {@code dataset}. */
    static ClipSpec clip(ClipDataset dataset, long i) {
        return dataset.trainingClip(CLIP_OFFSET + i);
    }

    /** The latent clips at the recipe's size. */
    static Latents read(WorkFolder work) throws IOException {
        return read(work.latents());
    }

    /** The same latent clips at a progressive recipe's low resolution. */
    static Latents read(WorkFolder work, TrainingRecipe.LowResolution low) throws IOException {
        return read(work.latents(low.height(), low.width()));
    }

    private static Latents read(Path file) throws IOException {
        try (Checkpoint ckpt = Checkpoint.open(file)) {
            return new Latents(ckpt.readFloats("latents"), ckpt.info("latents").shape());
        }
    }

    /**
     * Encodes the latent clips unless an earlier invocation did, sets scaling_factor in the model's VAE config and
     * adds it with the reconstruction to stage 1's metrics; then, for a progressive recipe, the low-resolution ones.
     */
    void ensure() throws IOException {
        if (!Files.exists(work.latents())) {
            encodeAtRecipeSize();
        }
        TrainingRecipe.LowResolution low = recipe.lowResolution();
        if (low.used() && !Files.exists(work.latents(low.height(), low.width()))) {
            encodeAtLowResolution(low);
        }
    }

    private void encodeAtRecipeSize() throws IOException {
        long started = System.nanoTime();
        Encoded encoded = encode(recipe.height(), recipe.width(), "encoding latents");
        double std = std(encoded.means());
        double[] channelStd = channelStd(encoded.means(), (int) encoded.clipShape()[0]);
        double scaling = 1 / std;
        if (recipe.latentScaling() == TrainingRecipe.LatentScaling.PER_CHANNEL) {
            // each channel to std 1 in the VAE's own weights, so scaling_factor is 1. The fold is written before the
            // latents: a run killed between the two encodes again with the folded VAE, whose channels are already
            // balanced, and folds by scales of 1.
            double[] fold = reciprocals(channelStd);
            LatentChannelFold.apply(work.weights(VaeStage.NAME), fold);
            encoded = encoded.scaled(fold);
            scaling = 1;
        }
        ObjectNode vaeConfig = (ObjectNode) AtomicFiles.JSON.readTree(recipe.vaeConfig());
        vaeConfig.put("scaling_factor", scaling);
        AtomicFiles.writeJson(work.config(VaeStage.NAME), vaeConfig);
        StageFiles vae = new StageFiles(work, VaeStage.NAME);
        Map<String, Double> done = vae.done();
        done.put("scaling_factor", scaling);
        done.put("latent_channel_std_min", Arrays.stream(channelStd).min().orElseThrow() * (1 / std));
        done.put("latent_channel_std_max", Arrays.stream(channelStd).max().orElseThrow() * (1 / std));
        done.put("reconstruction_psnr_db", encoded.psnr());
        done.put("encode_seconds", (System.nanoTime() - started) / 1e9);
        vae.markDone(done);
        write(work.latents(), encoded, scaling);
        log.printf(Locale.ROOT, "latents: %d clips, std %.4f -> scaling_factor %.4f; channel std %.2f to %.2f "
                        + "after 1/std%s; VAE reconstruction %.1f dB%n",
                encoded.means().size(), std, scaling, done.get("latent_channel_std_min"),
                done.get("latent_channel_std_max"),
                recipe.latentScaling() == TrainingRecipe.LatentScaling.PER_CHANNEL
                        ? ", each folded into the VAE to 1" : "", encoded.psnr());
    }

    private void encodeAtLowResolution(TrainingRecipe.LowResolution low) throws IOException {
        double recipeScaling = new StageFiles(work, VaeStage.NAME).done().get("scaling_factor"); // set just before
        String size = low.height() + "x" + low.width();
        Encoded encoded = encode(low.height(), low.width(), "encoding " + size + " latents");
        // The noise schedule assumes unit-spread latents at every size, but the same clips encode with another
        // spread at a smaller size (1.8 at 32x32 for the 4x demo VAE trained at 64x64): at the recipe-size scaling
        // the low-resolution phase would train at a higher signal-to-noise ratio than the one it prepares for. So
        // these latents are brought to spread 1 by their own statistics, the same way (global or per channel) as
        // the recipe-size ones. They are training data only; the exported VAE keeps the recipe-size scaling.
        double std = std(encoded.means());
        double scaling = 1 / std;
        if (recipe.latentScaling() == TrainingRecipe.LatentScaling.PER_CHANNEL) {
            encoded = encoded.scaled(reciprocals(channelStd(encoded.means(), (int) encoded.clipShape()[0])));
            scaling = 1;
        }
        write(work.latents(low.height(), low.width()), encoded, scaling);
        log.printf(Locale.ROOT, "latents at %s: %d clips, std %.4f at the recipe-size scaling -> 1%s; "
                        + "VAE reconstruction %.1f dB%n", size, encoded.means().size(), std * recipeScaling,
                recipe.latentScaling() == TrainingRecipe.LatentScaling.PER_CHANNEL ? " in each channel" : "",
                encoded.psnr());
    }

    private static double[] reciprocals(double[] xs) {
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = 1 / xs[i];
        }
        return out;
    }

    /** The std of each latent channel over all clips, frames and positions; a clip is [C, F, h, w]. */
    static double[] channelStd(List<float[]> means, int channels) {
        double[] sum = new double[channels];
        double[] sq = new double[channels];
        long count = 0;
        for (float[] m : means) {
            int perChannel = m.length / channels;
            for (int i = 0; i < m.length; i++) {
                sum[i / perChannel] += m[i];
                sq[i / perChannel] += (double) m[i] * m[i];
            }
            count += perChannel;
        }
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            double mean = sum[c] / count;
            std[c] = Math.sqrt(Math.max(0, sq[c] / count - mean * mean));
            if (!(std[c] > 0)) {
                throw new IllegalStateException("latent channel " + c + " is constant over the latent clips: the "
                        + "VAE does not use it, and per-channel scaling cannot balance it");
            }
        }
        return std;
    }

    /** The scaled, frames-first latents as {@code [clips, frames, channels, height, width]}. */
    private static void write(Path file, Encoded encoded, double scaling) throws IOException {
        long[] s = encoded.clipShape();
        float[] all = framesFirst(encoded.means(), s, scaling);
        AtomicFiles.write(file, new SafetensorsWriter()
                .f32("latents", new long[]{encoded.means().size(), s[1], s[0], s[2], s[3]}, all)::write);
    }

    private Encoded encode(int height, int width, String progressLabel) {
        ClipDataset dataset = recipe.dataset();
        ClipBatches clips = new ClipBatches(dataset, recipe.frames(), height, width);
        int n = recipe.latentClips();
        List<float[]> means = new ArrayList<>();
        long[] latentShape = null;
        double psnr = Double.NaN;
        try (CogVideoXVae vae = CogVideoXVae.load(work.model(), new VaeOptions(options, null, false));
             TrainingProgress.Meter meter = progress.open(progressLabel, "clips", 0, n)) {
            for (int from = 0; from < n; from += recipe.encodeBatch()) {
                int b = Math.min(recipe.encodeBatch(), n - from);
                ClipSpec[] specs = new ClipSpec[b];
                for (int i = 0; i < b; i++) {
                    specs[i] = clip(dataset, from + i);
                }
                HostTensor video = new HostTensor(new long[]{b, 3, recipe.frames(), height, width},
                        clips.whole(specs));
                HostTensor mean = vae.encode(video).mode();
                latentShape = mean.shape();
                int per = mean.data().length / b;
                for (int i = 0; i < b; i++) {
                    means.add(Arrays.copyOfRange(mean.data(), i * per, (i + 1) * per));
                }
                if (from == 0) {
                    // reconstruction quality of the first batch, through the inference path (chunked decode)
                    psnr = psnr(vae.decode(mean), video);
                }
                meter.set(from + b, "");
            }
        }
        return new Encoded(means, Arrays.copyOfRange(latentShape, 1, 5), psnr);
    }

    private static double psnr(HostTensor decoded, HostTensor video) {
        double mse = 0;
        for (int i = 0; i < decoded.data().length; i++) {
            double d = Math.max(-1, Math.min(1, decoded.data()[i])) - video.data()[i];
            mse += d * d;
        }
        mse /= decoded.data().length;
        return 10 * Math.log10(4 / mse); // pixel range [−1, 1] has peak-to-peak 2
    }

    private static double std(List<float[]> means) {
        double sum = 0;
        double sq = 0;
        long count = 0;
        for (float[] m : means) {
            for (float v : m) {
                sum += v;
                sq += (double) v * v;
                count++;
            }
        }
        return Math.sqrt(sq / count - (sum / count) * (sum / count));
    }

    /** The latents for the transformer: scaled and frames first, [N, F, C, h, w] from the VAE's [C, F, h, w]. */
    private static float[] framesFirst(List<float[]> means, long[] clipShape, double scaling) {
        int c = (int) clipShape[0];
        int f = (int) clipShape[1];
        int hw = (int) (clipShape[2] * clipShape[3]);
        float[] all = new float[means.size() * c * f * hw];
        for (int i = 0; i < means.size(); i++) {
            float[] m = means.get(i);
            for (int ch = 0; ch < c; ch++) {
                for (int t = 0; t < f; t++) {
                    for (int p = 0; p < hw; p++) {
                        all[((i * f + t) * c + ch) * hw + p] = (float) (m[(ch * f + t) * hw + p] * scaling);
                    }
                }
            }
        }
        return all;
    }
}
