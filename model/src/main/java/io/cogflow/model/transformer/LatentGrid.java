package io.cogflow.model.transformer;

/**
 * The token grid a latent video of (frames, height, width) becomes after patching: {@code frames / p_t} ×
 * {@code height / p} × {@code width / p} video tokens, ordered (t, y, x).
 */
public record LatentGrid(int frames, int rows, int cols) {

    public LatentGrid {
        if (frames <= 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("empty token grid " + frames + "×" + rows + "×" + cols);
        }
    }

    /** The grid of a latent video, or a clear error when its sizes do not divide into patches. */
    public static LatentGrid of(TransformerConfig c, int latentFrames, int latentHeight, int latentWidth) {
        int p = c.patchSize();
        int pt = c.temporalPatch();
        if (latentHeight <= 0 || latentWidth <= 0 || latentFrames <= 0) {
            throw new IllegalArgumentException("latent video must have positive frames, height and width, got "
                    + latentFrames + "×" + latentHeight + "×" + latentWidth);
        }
        if (latentHeight % p != 0 || latentWidth % p != 0) {
            throw new IllegalArgumentException("latent height and width must be multiples of patch_size " + p
                    + ", got " + latentHeight + "×" + latentWidth);
        }
        if (latentFrames % pt != 0) {
            throw new IllegalArgumentException("latent frames must be a multiple of patch_size_t " + pt
                    + ", got " + latentFrames + " (the pipeline pads CogVideoX1.5 latents to a multiple)");
        }
        return new LatentGrid(latentFrames / pt, latentHeight / p, latentWidth / p);
    }

    public int tokens() {
        return frames * rows * cols;
    }
}
