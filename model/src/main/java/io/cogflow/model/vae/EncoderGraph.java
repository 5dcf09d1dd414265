package io.cogflow.model.vae;

import io.cogflow.model.tf.ModelVariables;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

import java.util.List;

/**
 * {@code CogVideoXEncoder3D} for one chunk of video frames: conv_in, down blocks of resnets with time-and-space
 * downsamplers, a mid block, GroupNorm, SiLU and conv_out to the posterior's moments (mean | logvar).
 */
final class EncoderGraph {
    private final Ops tf;
    private final Encoder3D layers;
    private final ModelVariables w;
    private final CausalConvChain convs;

    private EncoderGraph(Ops tf, VaeConfig config, ModelVariables w, boolean resumed) {
        this(tf, config, w, new CausalConvChain(tf, resumed));
    }

    private EncoderGraph(Ops tf, VaeConfig config, ModelVariables w, CausalConvChain convs) {
        this.tf = tf;
        this.layers = Encoder3D.of(config);
        this.w = w;
        this.convs = convs;
    }

    /** @param videoShape (B, channels, T, H, W) of the chunk; the output is (B, 2·latent, T', H/s, W/s) */
    static ChunkGraph build(Ops tf, VaeConfig config, ModelVariables weights, long[] videoShape, boolean resumed) {
        return new EncoderGraph(tf.withSubScope("encode"), config, weights, resumed).build(videoShape);
    }

    /**
     * One chunk inside a larger graph: {@code video} (B, C, T, H, W) is an operand and {@code carried} the previous
     * chunk's carried frames (null for the first chunk); the result has no placeholders.
     */
    static ChunkGraph buildOn(Ops tf, VaeConfig config, ModelVariables weights, Operand<TFloat32> video,
                              List<Operand<TFloat32>> carried) {
        CausalConvChain convs = carried == null ? new CausalConvChain(tf, false) : new CausalConvChain(tf, carried);
        Operand<TFloat32> moments = new EncoderGraph(tf, config, weights, convs).moments(video);
        return new ChunkGraph(null, List.of(), moments, convs.carriedOut());
    }

    private ChunkGraph build(long[] videoShape) {
        Placeholder<TFloat32> video = tf.withName("video").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(videoShape)));
        Operand<TFloat32> moments = moments(video);
        return new ChunkGraph(video, convs.carriedIn(), moments, convs.carriedOut());
    }

    private Operand<TFloat32> moments(Operand<TFloat32> video) {
        Operand<TFloat32> x = tf.linalg.transpose(video, tf.constant(new int[]{0, 2, 3, 4, 1}));
        Operand<TFloat32> h = convs.apply(x, w, layers.convIn());
        for (ResnetStage<GroupNorm> block : layers.downBlocks()) {
            for (ResnetBlock<GroupNorm> r : block.resnets()) {
                h = resnet(r, h);
            }
            if (block.resampler() != null) {
                h = downsample(block.resampler(), h, block.compressTime());
            }
        }
        for (ResnetBlock<GroupNorm> r : layers.mid()) {
            h = resnet(r, h);
        }
        h = layers.normOut().apply(tf, w, h);
        h = convs.apply(VideoOps.silu(tf, h), w, layers.convOut());
        return tf.linalg.transpose(h, tf.constant(new int[]{0, 4, 1, 2, 3}));
    }

    private Operand<TFloat32> resnet(ResnetBlock<GroupNorm> block, Operand<TFloat32> x) {
        return block.apply(tf, w, x, (norm, f) -> norm.apply(tf, w, f), convs);
    }

    /**
     * {@code CogVideoXDownsample3D}: when compressing time, adjacent frames are averaged in pairs (an odd count
     * keeps the first frame: T → 1 + (T − 1)/2); then zero padding right and bottom and a 3×3 stride-2 Conv2d.
     */
    private Operand<TFloat32> downsample(Conv2d conv, Operand<TFloat32> x, boolean compressTime) {
        long t = VideoOps.dim(x, VideoOps.T);
        Operand<TFloat32> y = x;
        if (compressTime && t % 2 == 1) {
            if (t > 1) {
                y = VideoOps.concatFrames(tf, List.of(VideoOps.frames(tf, x, 0, 1),
                        VideoOps.pairMeanFrames(tf, VideoOps.frames(tf, x, 1, t))));
            }
        } else if (compressTime) {
            y = VideoOps.pairMeanFrames(tf, x);
        }
        return conv.apply(tf, w, y);
    }
}
