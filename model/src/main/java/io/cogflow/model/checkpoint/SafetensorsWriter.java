package io.cogflow.model.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes safetensors files in the exact byte layout of the format (8-byte little-endian header length, JSON
 * header, raw little-endian data): trained weights in diffusers layout, training checkpoints and test fixtures.
 * Tensors are held in memory until {@link #write}; fine for the small models trained here.
 *
 * <p>The header is written by Jackson, so any tensor name is escaped as JSON needs, and padded with spaces to a
 * multiple of 8 bytes as the reference writer pads it, so the data starts 8-byte aligned as in files from the
 * reference writer. Readers, {@link SafetensorsFile} among them, take the padding as JSON whitespace.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METADATA = "__metadata__";
    private static final int ALIGNMENT = 8;

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
        byte[] header = header();
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            for (Pending t : tensors.values()) {
                out.write(t.littleEndianData());
            }
        }
    }

    /** The JSON header in UTF-8, space-padded to a multiple of {@value #ALIGNMENT} bytes. */
    private byte[] header() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putObject(METADATA).put("format", "pt");
        long offset = 0;
        for (Map.Entry<String, Pending> e : tensors.entrySet()) {
            Pending t = e.getValue();
            ObjectNode node = root.putObject(e.getKey());
            node.put("dtype", t.dtype());
            ArrayNode shape = node.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            long end = offset + t.littleEndianData().length;
            node.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(root);
        // the length prefix is 8 bytes too, so a header of a multiple of 8 puts the data on an 8-byte boundary
        int padded = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }
}
