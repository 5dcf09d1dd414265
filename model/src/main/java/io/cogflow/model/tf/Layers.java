package io.cogflow.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.SplitV;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.List;

/** Building blocks shared by the model graphs; each mirrors one PyTorch module's arithmetic. */
public final class Layers {
    private Layers() {
    }

    /**
     * {@code nn.Linear} on the last axis of {@code x} [..., in] with {@code w} in TF layout [in, out]:
     * flattened to one 2-D MatMul so the leading axes cost nothing.
     */
    public static Operand<TFloat32> linear(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w, Operand<TFloat32> bias) {
        long[] shape = x.shape().asArray();
        long in = shape[shape.length - 1];
        long out = w.shape().size(1);
        Operand<TFloat32> flat = shape.length == 2 ? x : tf.reshape(x, tf.constant(new long[]{-1, in}));
        Operand<TFloat32> y = tf.linalg.matMul(flat, w);
        if (bias != null) {
            y = tf.nn.biasAdd(y, bias);
        }
        if (shape.length == 2) {
            return y;
        }
        long[] outShape = shape.clone();
        outShape[outShape.length - 1] = out;
        return tf.reshape(y, tf.constant(outShape));
    }

    /** {@code nn.LayerNorm} over the last axis (biased variance); {@code weight}/{@code bias} may be null. */
    public static Operand<TFloat32> layerNorm(Ops tf, Operand<TFloat32> x, Operand<TFloat32> weight,
                                              Operand<TFloat32> bias, double eps) {
        Operand<TInt32> axis = tf.constant(new int[]{-1});
        Operand<TFloat32> mean = tf.math.mean(x, axis, Mean.keepDims(true));
        Operand<TFloat32> centered = tf.math.sub(x, mean);
        Operand<TFloat32> variance = tf.math.mean(tf.math.square(centered), axis, Mean.keepDims(true));
        Operand<TFloat32> y = tf.math.mul(centered, tf.math.rsqrt(tf.math.add(variance, tf.constant((float) eps))));
        if (weight != null) {
            y = tf.math.mul(y, weight);
        }
        if (bias != null) {
            y = tf.math.add(y, bias);
        }
        return y;
    }

    /** x·(1 + scale) + shift, the adaptive-norm modulation. */
    public static Operand<TFloat32> modulate(Ops tf, Operand<TFloat32> x, Operand<TFloat32> shift,
                                             Operand<TFloat32> scale) {
        return tf.math.add(tf.math.mul(x, tf.math.add(scale, tf.constant(1f))), shift);
    }

    public static Operand<TFloat32> silu(Ops tf, Operand<TFloat32> x) {
        return tf.math.mul(x, tf.math.sigmoid(x));
    }

    /** GELU, tanh approximation (PyTorch {@code approximate="tanh"}) or exact erf form. */
    public static Operand<TFloat32> gelu(Ops tf, Operand<TFloat32> x, boolean tanhApproximation) {
        Operand<TFloat32> half = tf.math.mul(x, tf.constant(0.5f));
        if (!tanhApproximation) {
            Operand<TFloat32> erf = tf.math.erf(tf.math.mul(x, tf.constant((float) (1 / Math.sqrt(2)))));
            return tf.math.mul(half, tf.math.add(erf, tf.constant(1f)));
        }
        Operand<TFloat32> cube = tf.math.mul(tf.math.square(x), x);
        Operand<TFloat32> inner = tf.math.mul(tf.math.add(x, tf.math.mul(cube, tf.constant(0.044715f))),
                tf.constant((float) Math.sqrt(2 / Math.PI)));
        return tf.math.mul(half, tf.math.add(tf.math.tanh(inner), tf.constant(1f)));
    }

    /** Splits {@code x} along {@code axis} into pieces of the given static sizes. */
    public static List<Operand<TFloat32>> split(Ops tf, Operand<TFloat32> x, int axis, long... sizes) {
        SplitV<TFloat32> parts = tf.splitV(x, tf.constant(sizes), tf.constant(axis), (long) sizes.length);
        return parts.output().stream().map(o -> (Operand<TFloat32>) o).toList();
    }

    /** Splits {@code x} along {@code axis} into {@code n} equal pieces. */
    public static List<Operand<TFloat32>> chunk(Ops tf, Operand<TFloat32> x, int axis, int n) {
        long size = x.shape().size(axis < 0 ? x.shape().numDimensions() + axis : axis);
        if (size % n != 0) {
            throw new IllegalArgumentException("cannot chunk axis of " + size + " into " + n);
        }
        long[] sizes = new long[n];
        java.util.Arrays.fill(sizes, size / n);
        return split(tf, x, axis, sizes);
    }
}
