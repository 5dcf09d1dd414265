package io.cogflow.model.vae;

import io.cogflow.model.tf.Layers;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

import java.util.Arrays;
import java.util.List;

/**
 * Graph primitives of the CogVideoX VAE on channels-last video tensors (B, T, H, W, C) — the layout TensorFlow's
 * CPU Conv3D requires. Every shape is static, so each helper reads sizes from its input.
 */
final class VideoOps {
    static final int T = 1;
    static final int H = 2;
    static final int W = 3;
    static final int C = 4;

    private VideoOps() {
    }

    static long dim(Operand<?> x, int axis) {
        return x.shape().size(axis);
    }

    /** {@code nn.GroupNorm}: statistics per sample and group over (T, H, W, C/groups), biased variance. */
    static Operand<TFloat32> groupNorm(Ops tf, Operand<TFloat32> x, int groups, Operand<TFloat32> weight,
                                       Operand<TFloat32> bias, double eps) {
        long[] s = x.shape().asArray();
        long channels = s[C];
        // the batch may be free (-1); every other axis is static
        Operand<TFloat32> g = tf.reshape(x, tf.constant(new long[]{-1, s[T] * s[H] * s[W], groups, channels / groups}));
        Operand<org.tensorflow.types.TInt32> axes = tf.constant(new int[]{1, 3});
        Operand<TFloat32> mean = tf.math.mean(g, axes, Mean.keepDims(true));
        Operand<TFloat32> centered = tf.math.sub(g, mean);
        Operand<TFloat32> variance = tf.math.mean(tf.math.square(centered), axes, Mean.keepDims(true));
        Operand<TFloat32> normed = tf.math.mul(centered, tf.math.rsqrt(tf.math.add(variance,
                tf.constant((float) eps))));
        Operand<TFloat32> y = tf.reshape(normed, tf.constant(s));
        return tf.math.add(tf.math.mul(y, weight), bias);
    }

    static Operand<TFloat32> silu(Ops tf, Operand<TFloat32> x) {
        return Layers.silu(tf, x);
    }

    /** A stride-1 Conv3D without padding (callers pad explicitly), plus bias. */
    static Operand<TFloat32> conv3d(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, Operand<TFloat32> bias) {
        Operand<TFloat32> y = tf.nn.conv3d(x, kernel, List.of(1L, 1L, 1L, 1L, 1L), "VALID");
        return tf.nn.biasAdd(y, bias);
    }

    /** A 1×1×1 convolution is a linear map of channels; a MatMul is much cheaper than Conv3D for it. */
    static Operand<TFloat32> pointwise(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, Operand<TFloat32> bias) {
        long[] k = kernel.shape().asArray();
        Operand<TFloat32> w = tf.reshape(kernel, tf.constant(new long[]{k[3], k[4]}));
        return Layers.linear(tf, x, w, bias);
    }

    /** Zero padding of the spatial axes only. */
    static Operand<TFloat32> padSpatial(Ops tf, Operand<TFloat32> x, SpatialPadding padding) {
        if (padding.none()) {
            return x;
        }
        int rank = x.shape().numDimensions();
        int[][] p = new int[rank][2];
        p[rank - 3] = new int[]{padding.top(), padding.bottom()};
        p[rank - 2] = new int[]{padding.left(), padding.right()};
        int[] flat = Arrays.stream(p).flatMapToInt(Arrays::stream).toArray();
        return tf.pad(x, tf.reshape(tf.constant(flat), tf.constant(new long[]{rank, 2})), tf.constant(0f));
    }

    /**
     * A {@code Conv2d} applied to every frame: (B, T, H, W, C) → (B·T, H, W, C) → conv → back, with explicit
     * zero padding and a VALID convolution of the given stride.
     */
    static Operand<TFloat32> frameConv2d(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, Operand<TFloat32> bias,
                                         SpatialPadding padding, int stride) {
        long[] s = x.shape().asArray();
        Operand<TFloat32> frames = tf.reshape(x, tf.constant(new long[]{-1, s[2], s[3], s[4]}));
        frames = padSpatial(tf, frames, padding);
        Operand<TFloat32> y = tf.nn.conv2d(frames, kernel, List.of(1L, (long) stride, (long) stride, 1L), "VALID");
        y = tf.nn.biasAdd(y, bias);
        long[] o = y.shape().asArray();
        return tf.reshape(y, tf.constant(new long[]{-1, s[1], o[1], o[2], o[3]}));
    }

    /** Nearest-neighbour ×2 along one axis: every element repeated twice in place. */
    static Operand<TFloat32> repeat2(Ops tf, Operand<TFloat32> x, int axis) {
        long[] s = x.shape().asArray();
        Operand<TFloat32> e = tf.expandDims(x, tf.constant(axis + 1));
        Operand<TFloat32> doubled = tf.concat(List.of(e, e), tf.constant(axis + 1));
        long[] out = s.clone();
        out[axis] = 2 * s[axis];
        return tf.reshape(doubled, tf.constant(out));
    }

    /** Frames [from, to) of a video. */
    static Operand<TFloat32> frames(Ops tf, Operand<TFloat32> x, long from, long to) {
        long[] s = x.shape().asArray();
        int[] begin = new int[s.length];
        int[] size = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            size[i] = (int) s[i];
        }
        begin[T] = (int) from;
        size[T] = (int) (to - from);
        // int32 bounds: TensorFlow's Slice gradient subtracts them from an int32 shape
        return tf.slice(x, tf.constant(begin), tf.constant(size));
    }

    static Operand<TFloat32> concatFrames(Ops tf, List<Operand<TFloat32>> parts) {
        return parts.size() == 1 ? parts.get(0) : tf.concat(parts, tf.constant(T));
    }

    /**
     * {@code F.interpolate(mode="nearest", size=...)} over (T, H, W) as PyTorch computes source indices:
     * identity for equal sizes, halving for exact doubling, else {@code min(floor(i · (in/out)), in − 1)} in
     * single precision.
     */
    static Operand<TFloat32> resizeNearest(Ops tf, Operand<TFloat32> x, long t, long h, long w) {
        Operand<TFloat32> y = x;
        long[] target = {0, t, h, w};
        for (int axis = T; axis <= W; axis++) {
            int in = (int) dim(y, axis);
            int out = (int) target[axis];
            if (in != out) {
                y = tf.gather(y, tf.constant(nearestIndices(in, out)), tf.constant(axis));
            }
        }
        return y;
    }

    static int[] nearestIndices(int in, int out) {
        int[] idx = new int[out];
        float scale = (float) in / out;
        for (int i = 0; i < out; i++) {
            if (out == in) {
                idx[i] = i;
            } else if (out == 2 * in) {
                idx[i] = i >> 1;
            } else {
                idx[i] = Math.min((int) Math.floor(i * scale), in - 1);
            }
        }
        return idx;
    }

    /** Mean of adjacent frame pairs (avg_pool1d over time, kernel 2, stride 2); T must be even. */
    static Operand<TFloat32> pairMeanFrames(Ops tf, Operand<TFloat32> x) {
        long[] s = x.shape().asArray();
        Operand<TFloat32> pairs = tf.reshape(x, tf.constant(new long[]{-1, s[1] / 2, 2, s[2], s[3], s[4]}));
        List<Operand<TFloat32>> halves = Layers.split(tf, pairs, 2, 1, 1);
        Operand<TFloat32> sum = tf.math.add(halves.get(0), halves.get(1));
        return tf.reshape(tf.math.mul(sum, tf.constant(0.5f)), tf.constant(new long[]{-1, s[1] / 2, s[2], s[3], s[4]}));
    }
}
