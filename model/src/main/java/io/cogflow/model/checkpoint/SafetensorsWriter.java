package io.cogflow.model.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files in the exact byte layout of the format (8-byte little-endian header length, JSON
 * header, raw little-endian data): trained weights in diffusers layout, training checkpoints and test fixtures.
 * Tensors are held in memory until {@link #write}; fine for the small models trained here ({@link ShardedWriter}
 * streams checkpoints of any size). The header is laid out by {@link SafetensorsHeader}.
 */
public final class SafetensorsWriter {
    private static final String METADATA = SafetensorsHeader.METADATA;

    /** One tensor waiting for {@link #write}. */
    private record Pending(String dtype, long[] shape, byte[] littleEndianData) {
    }

    private final Map<String, Pending> tensors = new LinkedHashMap<>();

    /**
     * Adds a tensor of any dtype the format names ({@code F32}, {@code BF16}, ...), its data already in file
     * order. The dtype is taken as given, and not checked against the data's length: tests write files with
     * dtypes {@link SafetensorsFile} refuses, to see that it does.
     */
    public SafetensorsWriter add(String name, String dtype, long[] shape, byte[] littleEndianData) {
        if (name == null || name.equals(METADATA)) {
            throw new IllegalArgumentException("a tensor cannot be named " + (name == null ? "null" : METADATA));
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' was already added");
        }
        if (dtype == null || dtype.isBlank() || shape == null || littleEndianData == null) {
            throw new IllegalArgumentException("tensor '" + name + "' needs a dtype, a shape and data");
        }
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension: "
                        + Arrays.toString(shape));
            }
        }
        tensors.put(name, new Pending(dtype, shape.clone(), littleEndianData));
        return this;
    }

    public SafetensorsWriter f32(String name, long[] shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return add(name, "F32", shape, b.array());
    }

    public void write(Path file) throws IOException {
        List<SafetensorsHeader.Entry> entries = new ArrayList<>();
        tensors.forEach((name, t) -> entries.add(new SafetensorsHeader.Entry(name, t.dtype(), t.shape(),
                t.littleEndianData().length)));
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(SafetensorsHeader.encode(entries));
            for (Pending t : tensors.values()) {
                out.write(t.littleEndianData());
            }
        }
    }
}
