package io.cogflow.model.export;

import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

import java.util.Arrays;
import java.util.Locale;

/**
 * The floating-point type an exported graph computes its matmuls and convolutions in ({@code cogflow export
 * --compute}). Statistics, softmax and the signature inputs and outputs stay float32 whatever the choice (see
 * {@link MixedPrecisionRewrite}); the weights are stored in this type, so they are narrowed once, at load.
 */
public enum ComputePrecision {
    FLOAT32("float32", DataType.DT_FLOAT, TFloat32.class),
    BFLOAT16("bfloat16", DataType.DT_BFLOAT16, TBfloat16.class),
    FLOAT16("float16", DataType.DT_HALF, TFloat16.class);

    private final String id;
    private final DataType dataType;
    private final Class<? extends TType> tensorType;

    ComputePrecision(String id, DataType dataType, Class<? extends TType> tensorType) {
        this.id = id;
        this.dataType = dataType;
        this.tensorType = tensorType;
    }

    /** The name on the command line and in the manifest: {@code float32}, {@code bfloat16}, {@code float16}. */
    public String id() {
        return id;
    }

    public DataType dataType() {
        return dataType;
    }

    /** The TensorFlow Java type of a tensor in this precision, e.g. for variable storage. */
    public Class<? extends TType> tensorType() {
        return tensorType;
    }

    /** True when the graph is rewritten (anything but float32). */
    public boolean reduced() {
        return this != FLOAT32;
    }

    public static ComputePrecision parse(String id) {
        for (ComputePrecision p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("--compute must be one of " + Arrays.stream(values())
                .map(ComputePrecision::id).toList() + ", got '" + id + "'");
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
