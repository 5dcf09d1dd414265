package io.cogflow.model.vae;

import java.util.List;

/**
 * When the exported decode tiles a frame size: when one video's largest time chunk, decoded untiled, would hold
 * more activation memory than {@code maxChunkBytes}. The tiles are then the config's reference tiles
 * ({@link VaeTiling#reference}: diffusers' {@code tile_sample_min_*} = sample size / 2, overlaps 1/6 and 1/5), so
 * both the tile size and the activation estimate come from the VAE config, never from a list of frame sizes.
 * <p>
 * Why memory and not diffusers' own rule ("tile whenever the frame exceeds one tile"): diffusers tiles only when
 * asked ({@code enable_tiling()}); its pipelines — and our goldens — decode untiled, and tiling changes the output
 * (each tile has its own GroupNorm statistics). So a frame is tiled only when untiled decoding would not fit.
 *
 * @param maxChunkBytes activation bytes an untiled chunk may need per video before the frame is tiled
 */
public record DecodeTiling(long maxChunkBytes) {

    /**
     * 8 GiB: the full CogVideoX VAE at 480×720 needs about 15 GiB per untiled chunk (estimate below; measured above
     * 16 GiB) and is tiled. Below it tiling costs time and exactness for little: at 256×384 (4.2 GiB estimated) a
     * reference tile is nearly the whole frame and the tiled decode peaked as high as the untiled one (6.0 GiB,
     * docs/benchmarks.md). Every tiny test VAE stays untiled.
     */
    public static final DecodeTiling DEFAULT = new DecodeTiling(8L << 30);

    /**
     * Full-resolution activations alive at once at the decoder's widest stage, measured: an untiled 480×720 chunk
     * (9 frames × 128 channels, 1.6 GB per activation) peaked above 16 GiB resident (cogflow bench decode) — the
     * resnet's residual, GroupNorm's centred/squared/normalised copies, SpatialNorm3D's scale and shift, the padded
     * conv input, oneDNN's reordered input and output.
     */
    static final int LIVE_TENSORS = 10;

    public DecodeTiling {
        if (maxChunkBytes <= 0) {
            throw new IllegalArgumentException("decode chunk budget must be positive, got " + maxChunkBytes);
        }
    }

    /**
     * Estimated activation bytes of one video's largest chunk decoded untiled (float32): the first chunk's
     * output frames × the frame's pixels × the widest full-resolution channel count × {@link #LIVE_TENSORS}.
     */
    public static long untiledChunkBytes(VaeConfig c, int latentFrames, int latentHeight, int latentWidth) {
        List<FrameChunks.Range> chunks = FrameChunks.plan(latentFrames, FrameChunks.LATENT_FRAMES);
        int frames = FrameChunks.decodedFrames(chunks.get(0).length(), c.temporalCompressLevel());
        long pixels = (long) latentHeight * c.spatialScale() * latentWidth * c.spatialScale();
        return LIVE_TENSORS * Float.BYTES * frames * pixels * c.decoderBlockOut(c.blocks() - 1);
    }

    /** The tiling for this latent size, or null when it decodes untiled. */
    public VaeTiling tilingFor(VaeConfig c, int latentFrames, int latentHeight, int latentWidth) {
        if (untiledChunkBytes(c, latentFrames, latentHeight, latentWidth) <= maxChunkBytes) {
            return null;
        }
        VaeTiling t = VaeTiling.reference(c);
        return exceedsOneTile(t, c.spatialScale(), latentHeight, latentWidth) ? t : null;
    }

    /** diffusers' test in {@code tiled_decode}: a frame no larger than one tile is decoded whole. */
    static boolean exceedsOneTile(VaeTiling t, int scale, int latentHeight, int latentWidth) {
        return latentWidth > (int) ((double) t.tileSampleWidth() / scale)
                || latentHeight > (int) ((double) t.tileSampleHeight() / scale);
    }
}
