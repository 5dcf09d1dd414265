package io.cogflow.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.nn.Conv3d;
import org.tensorflow.op.nn.Conv3dBackpropFilter;
import org.tensorflow.op.nn.Conv3dBackpropInput;
import org.tensorflow.types.family.TNumber;

import java.util.Arrays;
import java.util.List;

/**
 * The gradient of {@code Conv3D}, which TensorFlow's C++ gradient registry lacks (so {@code tf.gradients}
 * through a 3D convolution fails in TF Java 1.1). It is the textbook pair: the input gradient is the
 * transposed convolution of the incoming gradient, the filter gradient its correlation with the input, both
 * with the forward op's strides, padding, data format and dilations.
 */
public final class Conv3dGradient {
    private static boolean registered;

    private Conv3dGradient() {
    }

    /**
     * Registers the gradient once per process; call before building any {@code tf.gradients} through a Conv3D.
     * TensorFlow refuses a second registration for the same op, so this is idempotent.
     */
    public static synchronized void ensureRegistered() {
        if (registered) {
            return;
        }
        // false means a gradient for Conv3D already exists (TensorFlow keeps the first one), which is fine too
        TensorFlow.registerCustomGradient(Conv3d.Inputs.class, Conv3dGradient::gradient);
        registered = true;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Operand<?>> gradient(org.tensorflow.op.Ops tf, Conv3d.Inputs in,
                                             List<org.tensorflow.Output<?>> grads) {
        Operand<TNumber> input = in.input;
        Operand<TNumber> filter = in.filter;
        Operand<TNumber> dy = (Operand<TNumber>) grads.get(0);
        List<Long> strides = Arrays.stream(in.strides).boxed().toList();
        List<Long> dilations = Arrays.stream(in.dilations).boxed().toList();
        Operand<?> dx = tf.nn.conv3dBackpropInput(tf.shape(input), filter, dy, strides, in.padding,
                Conv3dBackpropInput.dataFormat(in.dataFormat), Conv3dBackpropInput.dilations(dilations));
        Operand<?> dw = tf.nn.conv3dBackpropFilter(input, tf.shape(filter), dy, strides, in.padding,
                Conv3dBackpropFilter.dataFormat(in.dataFormat), Conv3dBackpropFilter.dilations(dilations));
        return List.of(dx, dw);
    }
}
