package io.cogflow.model.vae;

import io.cogflow.model.tf.ModelVariables;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code CogVideoXDecoder3D} for one latent chunk: conv_in, a mid block and up blocks of resnets whose norms
 * are conditioned on the chunk's latents (SpatialNorm3D), time-and-space upsamplers, the output norm and conv.
 */
final class DecoderGraph {
    private final Ops tf;
    private final Decoder3D layers;
    private final ModelVariables w;
    private final CausalConvChain convs;
    private Operand<TFloat32> zq;
    private final Map<String, Operand<TFloat32>> resizedZq = new HashMap<>();

    private DecoderGraph(Ops tf, VaeConfig config, ModelVariables w, CausalConvChain convs) {
        this.tf = tf;
        this.layers = Decoder3D.of(config);
        this.w = w;
        this.convs = convs;
    }

    /** @param latentShape (B, latent channels, T, h, w) of the chunk; B may be -1 (free) */
    static ChunkGraph build(Ops tf, VaeConfig config, ModelVariables weights, long[] latentShape, boolean resumed) {
        Ops scope = tf.withSubScope("decode");
        Placeholder<TFloat32> z = scope.withName("latents").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(latentShape)));
        CausalConvChain convs = new CausalConvChain(scope, resumed);
        Operand<TFloat32> frames = new DecoderGraph(scope, config, weights, convs).decode(z);
        return new ChunkGraph(z, convs.carriedIn(), frames, convs.carriedOut());
    }

    /**
     * One chunk inside a larger graph: {@code z} (B, C, T, h, w) is an operand, and {@code carried} the previous
     * chunk's carried frames (null for the first chunk).
     *
     * @return the chunk's frames (B, out, T', H, W) and its carried frames, as a ChunkGraph without placeholders
     */
    static ChunkGraph buildOn(Ops tf, VaeConfig config, ModelVariables weights, Operand<TFloat32> z,
                              List<Operand<TFloat32>> carried) {
        CausalConvChain convs = carried == null ? new CausalConvChain(tf, false) : new CausalConvChain(tf, carried);
        Operand<TFloat32> frames = new DecoderGraph(tf, config, weights, convs).decode(z);
        return new ChunkGraph(null, List.of(), frames, convs.carriedOut());
    }

    private Operand<TFloat32> decode(Operand<TFloat32> z) {
        zq = tf.linalg.transpose(z, tf.constant(new int[]{0, 2, 3, 4, 1}));
        Operand<TFloat32> h = convs.apply(zq, w, layers.convIn());
        for (ResnetBlock<SpatialNorm3D> r : layers.mid()) {
            h = resnet(r, h);
        }
        for (ResnetStage<SpatialNorm3D> block : layers.upBlocks()) {
            for (ResnetBlock<SpatialNorm3D> r : block.resnets()) {
                h = resnet(r, h);
            }
            if (block.resampler() != null) {
                h = upsample(block.resampler(), h, block.compressTime());
            }
        }
        h = VideoOps.silu(tf, spatialNorm(layers.normOut(), h));
        h = convs.apply(h, w, layers.convOut());
        return tf.linalg.transpose(h, tf.constant(new int[]{0, 4, 1, 2, 3}));
    }

    private Operand<TFloat32> resnet(ResnetBlock<SpatialNorm3D> block, Operand<TFloat32> x) {
        return block.apply(tf, w, x, this::spatialNorm, convs);
    }

    /**
     * A {@link SpatialNorm3D} of {@code f} on the chunk latents resized (nearest) to f's frames and size — with an
     * odd frame count the first frame is resized on its own, as the first latent frame stands for one video frame
     * and each later one for several.
     */
    private Operand<TFloat32> spatialNorm(SpatialNorm3D norm, Operand<TFloat32> f) {
        return norm.apply(tf, w, f, latentsLike(f));
    }

    private Operand<TFloat32> latentsLike(Operand<TFloat32> f) {
        long t = VideoOps.dim(f, VideoOps.T);
        long hh = VideoOps.dim(f, VideoOps.H);
        long ww = VideoOps.dim(f, VideoOps.W);
        return resizedZq.computeIfAbsent(t + "x" + hh + "x" + ww, key -> {
            long tz = VideoOps.dim(zq, VideoOps.T);
            if (t > 1 && t % 2 == 1 && tz > 1) {
                Operand<TFloat32> first = VideoOps.resizeNearest(tf, VideoOps.frames(tf, zq, 0, 1), 1, hh, ww);
                Operand<TFloat32> rest = VideoOps.resizeNearest(tf, VideoOps.frames(tf, zq, 1, tz), t - 1, hh, ww);
                return VideoOps.concatFrames(tf, List.of(first, rest));
            }
            return VideoOps.resizeNearest(tf, zq, t, hh, ww);
        });
    }

    /**
     * {@code CogVideoXUpsample3D}: nearest ×2 in space, and in time when compressing time (an odd frame count
     * keeps the first frame single: T → 1 + 2(T − 1)); then a 3×3 Conv2d per frame.
     */
    private Operand<TFloat32> upsample(Conv2d conv, Operand<TFloat32> x, boolean compressTime) {
        long t = VideoOps.dim(x, VideoOps.T);
        Operand<TFloat32> y;
        if (compressTime && t > 1 && t % 2 == 1) {
            Operand<TFloat32> first = doubleSpace(VideoOps.frames(tf, x, 0, 1));
            Operand<TFloat32> rest = VideoOps.repeat2(tf, doubleSpace(VideoOps.frames(tf, x, 1, t)), VideoOps.T);
            y = VideoOps.concatFrames(tf, List.of(first, rest));
        } else if (compressTime && t > 1) {
            y = VideoOps.repeat2(tf, doubleSpace(x), VideoOps.T);
        } else {
            y = doubleSpace(x);
        }
        return conv.apply(tf, w, y);
    }

    private Operand<TFloat32> doubleSpace(Operand<TFloat32> x) {
        return VideoOps.repeat2(tf, VideoOps.repeat2(tf, x, VideoOps.H), VideoOps.W);
    }
}
