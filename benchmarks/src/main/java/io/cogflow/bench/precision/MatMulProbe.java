package io.cogflow.bench.precision;

import io.cogflow.bench.model.RandomData;
import io.cogflow.bench.model.Timer;
import io.cogflow.model.export.ComputePrecision;
import io.cogflow.model.tf.SessionOptions;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * One n×n×n MatMul fed tensors already in the compute type (no Cast in the timed graph): the rate the kernel
 * behind a bf16 graph's matmuls reaches on this machine, next to float32's.
 */
final class MatMulProbe {
    private MatMulProbe() {
    }

    static double gflops(SessionOptions options, Timer timer, int n, ComputePrecision compute) {
        Class<? extends TFloating> type = switch (compute) {
            case FLOAT32 -> TFloat32.class;
            case BFLOAT16 -> TBfloat16.class;
            case FLOAT16 -> throw new IllegalArgumentException("the probe times float32 and bfloat16");
        };
        float[] data = RandomData.floats((long) n * n, 1);
        Shape shape = Shape.of(n, n);
        try (Graph g = new Graph(); Session s = new Session(g, options.toConfigProto());
             Tensor x = tensor(compute, shape, data); Tensor y = tensor(compute, shape, data)) {
            Ops tf = Ops.create(g);
            Placeholder<? extends TFloating> a = tf.placeholder(type, Placeholder.shape(shape));
            Placeholder<? extends TFloating> b = tf.placeholder(type, Placeholder.shape(shape));
            Operand<?> c = matMul(tf, a, b);
            double ms = timer.measure(() -> s.runner().feed(a, x).feed(b, y).fetch(c).run().close()).medianMs();
            return 2.0 * n * n * n / (ms / 1000) / 1e9;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends TFloating> Operand<T> matMul(Ops tf, Placeholder<? extends TFloating> a,
                                                          Placeholder<? extends TFloating> b) {
        return tf.linalg.matMul((Operand<T>) a, (Operand<T>) b);
    }

    private static Tensor tensor(ComputePrecision compute, Shape shape, float[] data) {
        return compute == ComputePrecision.BFLOAT16 ? TBfloat16.tensorOf(shape, DataBuffers.of(data, true, false))
                : TFloat32.tensorOf(shape, DataBuffers.of(data, true, false));
    }
}
