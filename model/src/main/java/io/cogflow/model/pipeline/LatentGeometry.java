package io.cogflow.model.pipeline;

/**
 * How a video size maps to latents for one model: the VAE divides height and width by its spatial scale and
 * maps frames 1 + k·r to 1 + k latent frames (r the temporal compression); the transformer needs latent height
 * and width divisible by its patch and, for CogVideoX1.5 (temporal patch p_t), latent frames padded at the front
 * to a multiple of p_t — the pipeline drops those extra frames before decoding.
 *
 * @param paddedFrames latent frames the transformer sees (≥ latentFrames)
 */
public record LatentGeometry(VideoSize size, int latentFrames, int paddedFrames, int latentHeight, int latentWidth) {

    /**
     * @throws IllegalArgumentException with the rule a size breaks (multiple of 16, frames 4k+1, …)
     */
    public static LatentGeometry of(VideoSize size, int spatialScale, int temporalCompression, int patch,
                                    int temporalPatch) {
        int pixelMultiple = spatialScale * patch;
        if (size.width() % pixelMultiple != 0 || size.height() % pixelMultiple != 0) {
            throw new IllegalArgumentException("width and height must be multiples of " + pixelMultiple + ", got "
                    + size.width() + "x" + size.height());
        }
        if ((size.frames() - 1) % temporalCompression != 0) {
            throw new IllegalArgumentException("frames must be " + temporalCompression + "k+1 (e.g. "
                    + (1 + temporalCompression * 2) + ", 49), got " + size.frames());
        }
        int latentFrames = (size.frames() - 1) / temporalCompression + 1;
        int padded = latentFrames + (temporalPatch - latentFrames % temporalPatch) % temporalPatch;
        return new LatentGeometry(size, latentFrames, padded, size.height() / spatialScale,
                size.width() / spatialScale);
    }

    /** Latent frames prepended for the transformer and dropped before decoding. */
    public int extraFrames() {
        return paddedFrames - latentFrames;
    }
}
