package io.cogflow.model.vae;

/**
 * Spatial tiling, diffusers' {@code enable_tiling()}: large frames are processed as overlapping tiles blended
 * linearly, so memory follows the tile rather than the frame (for GPUs; results differ slightly from untiled).
 *
 * @param tileSampleHeight tile height in pixels (diffusers default: sample_height / 2)
 * @param tileSampleWidth  tile width in pixels (default: sample_width / 2)
 * @param overlapHeight    fraction of a tile blended with its upper neighbour (default 1/6)
 * @param overlapWidth     fraction of a tile blended with its left neighbour (default 1/5)
 */
public record VaeTiling(int tileSampleHeight, int tileSampleWidth, double overlapHeight, double overlapWidth) {

    public VaeTiling {
        if (tileSampleHeight <= 0 || tileSampleWidth <= 0) {
            throw new IllegalArgumentException("tile size must be positive");
        }
        if (!(overlapHeight > 0 && overlapHeight < 1 && overlapWidth > 0 && overlapWidth < 1)) {
            throw new IllegalArgumentException("tile overlap factors must be in (0, 1)");
        }
    }

    /** The reference's defaults for a config: half the sample size, overlaps 1/6 and 1/5. */
    public static VaeTiling reference(VaeConfig c) {
        return new VaeTiling(c.sampleHeight() / 2, c.sampleWidth() / 2, 1.0 / 6, 1.0 / 5);
    }
}
