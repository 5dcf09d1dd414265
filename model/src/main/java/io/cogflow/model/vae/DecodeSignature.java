package io.cogflow.model.vae;

import io.cogflow.model.tf.ModelVariables;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;


/**
 * The chunked decode as one servable graph for a latent size: unscaled latents (B, C, F, h, w), batch free →
 * the video as the pipeline returns it, (B, F, 3, H, W) in [0, 1], and as 8-bit RGB frames (B, F, H, W, 3).
 * The reference's chunks are unrolled in time, carried frames flowing from one chunk to the next; control edges
 * run the chunks one after another so only one chunk's activations are alive at a time. Frame sizes whose
 * untiled chunks would need more memory than {@link DecodeTiling#DEFAULT} allows are also tiled in space
 * ({@link TiledDecode}). Memory still grows with the batch: callers that bound it decode one video per call
 * ({@code ExportedModel.decode} does).
 */
public record DecodeSignature(Placeholder<TFloat32> latents, Operand<TFloat32> video, Operand<TUint8> frames) {

    /** The decode for this size, tiled when {@link DecodeTiling#DEFAULT} says the size needs it. */
    public static DecodeSignature build(Ops tf, VaeConfig config, ModelVariables weights, int latentFrames, int height,
                                    int width) {
        return build(tf, config, weights, latentFrames, height, width,
                DecodeTiling.DEFAULT.tilingFor(config, latentFrames, height, width));
    }

    /** @param tiling null for an untiled decode; else the tiles, used when the frame exceeds one tile */
    public static DecodeSignature build(Ops tf, VaeConfig config, ModelVariables weights, int latentFrames, int height,
                                        int width, VaeTiling tiling) {
        Placeholder<TFloat32> z = tf.withName("latents").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, config.latentChannels(), latentFrames, height, width)));
        UnrolledChunks.Chunk chunk = (scope, slice, carried) -> DecoderGraph.buildOn(scope, config, weights, slice,
                carried);
        Operand<TFloat32> decoded = tiling != null && DecodeTiling.exceedsOneTile(tiling, config.spatialScale(), height,
                width)
                ? TiledDecode.build(tf, z, TilePlan.forDecode(tiling, config.spatialScale(), height, width), chunk)
                : UnrolledChunks.build(tf, z, FrameChunks.LATENT_FRAMES, "chunk_", true, chunk);
        // diffusers' postprocess: x / 2 + 0.5, clamped to [0, 1]; frames first
        Operand<TFloat32> unit = tf.clipByValue(tf.math.add(tf.math.mul(decoded, tf.constant(0.5f)),
                tf.constant(0.5f)), tf.constant(0f), tf.constant(1f));
        Operand<TFloat32> video = tf.withName("video").linalg.transpose(unit, tf.constant(new int[]{0, 2, 1, 3, 4}));
        Operand<TUint8> frames = tf.withName("frames").dtypes.cast(
                tf.math.round(tf.math.mul(tf.linalg.transpose(unit, tf.constant(new int[]{0, 2, 3, 4, 1})),
                        tf.constant(255f))), TUint8.class);
        return new DecodeSignature(z, video, frames);
    }
}
