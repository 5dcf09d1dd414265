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
    /** SpatialNorm3D's GroupNorm eps is fixed in diffusers, whatever the config's norm_eps. */
    private static final double SPATIAL_NORM_EPS = 1e-6;

    private final Ops tf;
    private final VaeConfig config;
    private final ModelVariables w;
    private final CausalConvChain convs;
    private Operand<TFloat32> zq;
    private final Map<String, Operand<TFloat32>> resizedZq = new HashMap<>();

    private DecoderGraph(Ops tf, VaeConfig config, ModelVariables w, CausalConvChain convs) {
        this.tf = tf;
        this.config = config;
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
        Operand<TFloat32> h = convs.apply(zq, w.get("decoder.conv_in.conv.weight"), w.get("decoder.conv_in.conv.bias"));
        for (int r = 0; r < 2; r++) {
            h = resnet("decoder.mid_block.resnets." + r, h);
        }
        for (int b = 0; b < config.blocks(); b++) {
            for (int r = 0; r <= config.layersPerBlock(); r++) {
                h = resnet("decoder.up_blocks." + b + ".resnets." + r, h);
            }
            if (b < config.blocks() - 1) {
                h = upsample("decoder.up_blocks." + b + ".upsamplers.0.conv", h, b < config.temporalCompressLevel());
            }
        }
        h = VideoOps.silu(tf, spatialNorm("decoder.norm_out", h));
        h = convs.apply(h, w.get("decoder.conv_out.conv.weight"), w.get("decoder.conv_out.conv.bias"));
        return tf.linalg.transpose(h, tf.constant(new int[]{0, 4, 1, 2, 3}));
    }

    private Operand<TFloat32> resnet(String prefix, Operand<TFloat32> x) {
        return ResnetBlock.apply(tf, w, prefix, x, this::spatialNorm, convs);
    }

    /**
     * {@code CogVideoXSpatialNorm3D}: GroupNorm(f)·conv_y(zq') + conv_b(zq'), zq' the chunk latents resized
     * (nearest) to f's frames and size — with an odd frame count the first frame is resized on its own, as
     * the first latent frame stands for one video frame and each later one for several.
     */
    private Operand<TFloat32> spatialNorm(String prefix, Operand<TFloat32> f) {
        Operand<TFloat32> z = latentsLike(f);
        Operand<TFloat32> y = VideoOps.pointwise(tf, z, w.get(prefix + ".conv_y.conv.weight"),
                w.get(prefix + ".conv_y.conv.bias"));
        Operand<TFloat32> b = VideoOps.pointwise(tf, z, w.get(prefix + ".conv_b.conv.weight"),
                w.get(prefix + ".conv_b.conv.bias"));
        Operand<TFloat32> normed = VideoOps.groupNorm(tf, f, config.normNumGroups(),
                w.get(prefix + ".norm_layer.weight"), w.get(prefix + ".norm_layer.bias"), SPATIAL_NORM_EPS);
        return tf.math.add(tf.math.mul(normed, y), b);
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
    private Operand<TFloat32> upsample(String conv, Operand<TFloat32> x, boolean compressTime) {
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
        return VideoOps.frameConv2d(tf, y, w.get(conv + ".weight"), w.get(conv + ".bias"), new int[]{1, 1, 1, 1}, 1);
    }

    private Operand<TFloat32> doubleSpace(Operand<TFloat32> x) {
        return VideoOps.repeat2(tf, VideoOps.repeat2(tf, x, VideoOps.H), VideoOps.W);
    }
}
