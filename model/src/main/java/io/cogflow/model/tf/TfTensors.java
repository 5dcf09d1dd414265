package io.cogflow.model.tf;

import io.cogflow.model.checkpoint.DType;
import io.cogflow.model.tensor.HostTensor;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

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

    /**
     * A native tensor whose bytes the caller fills (through {@code asRawTensor().data()}): TensorFlow lays every
     * type out little-endian and row-major on the machines it runs on, as safetensors does, so a checkpoint's
     * bytes are copied in unchanged.
     */
    public static Tensor uninitialised(Class<? extends TType> type, long[] shape) {
        return Tensor.of(type, Shape.of(shape));
    }

    /** The TensorFlow type of a checkpoint's floating dtype. */
    public static Class<? extends TType> floatType(DType dtype) {
        return switch (dtype) {
            case F32 -> TFloat32.class;
            case F16 -> TFloat16.class;
            case BF16 -> TBfloat16.class;
            case F64 -> TFloat64.class;
            case I64, I32 -> throw new IllegalArgumentException(dtype + " is not a floating type");
        };
    }

    /** A short name of a floating type for op names: float32, bfloat16, float16, float64. */
    public static String typeName(Class<? extends TType> type) {
        if (type == TFloat32.class) {
            return "float32";
        }
        if (type == TBfloat16.class) {
            return "bfloat16";
        }
        if (type == TFloat16.class) {
            return "float16";
        }
        if (type == TFloat64.class) {
            return "float64";
        }
        throw new IllegalArgumentException("not a floating type: " + type.getSimpleName());
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
