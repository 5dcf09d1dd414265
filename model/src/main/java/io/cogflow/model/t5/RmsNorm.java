package io.cogflow.model.t5;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.Module;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

import java.util.List;

/** T5's {@code T5LayerNorm}, an RMS norm: w · x / √(mean(x²) + eps) over the last axis; no centring, no bias. */
record RmsNorm(ParameterSpec weight, double eps) implements Module {

    RmsNorm(String prefix, long dim, double eps) {
        this(ParameterSpec.vector(weightName(prefix), dim), eps);
    }

    /** The checkpoint name of the scale of the norm at {@code prefix}. */
    static String weightName(String prefix) {
        return prefix + ".weight";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(weight);
    }

    Operand<TFloat32> apply(Ops tf, ModelVariables w, Operand<TFloat32> x) {
        Operand<TFloat32> meanSquare = tf.math.mean(tf.math.square(x), tf.constant(new int[]{-1}),
                Mean.keepDims(true));
        Operand<TFloat32> normed = tf.math.mul(x, tf.math.rsqrt(tf.math.add(meanSquare, tf.constant((float) eps))));
        return tf.math.mul(w.get(weight), normed);
    }
}
