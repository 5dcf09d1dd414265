package io.cogflow.training;

import io.cogflow.model.random.SplitMix64;
import io.cogflow.training.data.ClipDataset;
import io.cogflow.training.data.ClipRenderer;
import io.cogflow.training.data.ClipSpec;

/**
 * Video batches for the VAE, as (B, 3, T, H, W) in [−1, 1]: whole clips for encoding, random crops in time and
 * space for training. A 3D VAE is convolutional, so crops teach it the same filters as whole clips for a fraction
 * of the compute. Every batch is a pure function of (seed, step), so a resumed run sees the same data.
 */
final class ClipBatches {
    private final ClipDataset dataset;
    private final ClipRenderer renderer;

    ClipBatches(ClipDataset dataset, int frames, int height, int width) {
        this.dataset = dataset;
        this.renderer = new ClipRenderer(frames, height, width);
    }

    /** Whole clips {@code specs} channels-first, (B, 3, T, H, W). */
    float[] whole(ClipSpec... specs) {
        int t = renderer.frames();
        int h = renderer.height();
        int w = renderer.width();
        return crops(specs, t, h, w, new int[specs.length], new int[specs.length], new int[specs.length]);
    }

    /** Training batch {@code step}: {@code batch} clips cropped to (cropFrames, size, size) at random offsets. */
    float[] trainingCrops(long seed, long step, int batch, int cropFrames, int size) {
        SplitMix64 rng = SplitMix64.stream(seed, step);
        ClipSpec[] specs = new ClipSpec[batch];
        int[] t0 = new int[batch];
        int[] y0 = new int[batch];
        int[] x0 = new int[batch];
        for (int b = 0; b < batch; b++) {
            specs[b] = dataset.trainingClip(step * batch + b);
            t0[b] = rng.nextInt(renderer.frames() - cropFrames + 1);
            y0[b] = rng.nextInt(renderer.height() - size + 1);
            x0[b] = rng.nextInt(renderer.width() - size + 1);
        }
        return crops(specs, cropFrames, size, size, t0, y0, x0);
    }

    /** (frames, height, width) windows of each clip starting at (t0, y0, x0), channels first. */
    private float[] crops(ClipSpec[] specs, int frames, int height, int width, int[] t0, int[] y0, int[] x0) {
        int fullH = renderer.height();
        int fullW = renderer.width();
        int plane = height * width;
        int perSample = 3 * frames * plane;
        float[] out = new float[specs.length * perSample];
        for (int b = 0; b < specs.length; b++) {
            float[] clip = renderer.render(specs[b]); // (T, 3, H, W)
            for (int c = 0; c < 3; c++) {
                for (int f = 0; f < frames; f++) {
                    for (int y = 0; y < height; y++) {
                        int src = (((t0[b] + f) * 3 + c) * fullH + y0[b] + y) * fullW + x0[b];
                        int dst = b * perSample + (c * frames + f) * plane + y * width;
                        System.arraycopy(clip, src, out, dst, width);
                    }
                }
            }
        }
        return out;
    }
}
