package io.cogflow.model.tf;

import io.cogflow.model.tensor.HostTensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** Copies between Java arrays and TensorFlow tensors. */
public final class TfTensors {
    private TfTensors() {
    }

    public static TFloat32 floats(long[] shape, float[] data) {
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
    }

    public static TFloat32 floats(HostTensor t) {
        return floats(t.shape(), t.data());
    }

    public static TInt64 longs(long... values) {
        return TInt64.vectorOf(values);
    }

    public static HostTensor toHost(TFloat32 t) {
        long[] shape = t.shape().asArray();
        float[] data = new float[Math.toIntExact(t.shape().size())];
        t.asRawTensor().data().asFloats().read(data);
        return new HostTensor(shape, data);
    }
}
