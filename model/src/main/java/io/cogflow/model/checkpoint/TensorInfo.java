package io.cogflow.model.checkpoint;

import java.util.Arrays;

/**
 * Where one tensor lives inside a safetensors file.
 *
 * @param offset absolute byte offset of the first element in the file
 * @param length number of bytes
 */
public record TensorInfo(String name, DType dtype, long[] shape, long offset, long length) {

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && offset == t.offset && length == t.length;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + shapeString();
    }
}
