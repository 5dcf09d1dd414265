package io.cogflow.model.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes safetensors files in the exact byte layout of the format (8-byte little-endian header length, JSON
 * header, raw little-endian data): trained weights in diffusers layout, training checkpoints and test fixtures.
 * Tensors are held in memory until {@link #write}; fine for the small models trained here.
 */
public final class SafetensorsWriter {
    private final Map<String, Object[]> tensors = new LinkedHashMap<>();

    public SafetensorsWriter add(String name, String dtype, long[] shape, byte[] littleEndianData) {
        tensors.put(name, new Object[]{dtype, shape, littleEndianData});
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
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        for (Map.Entry<String, Object[]> e : tensors.entrySet()) {
            byte[] data = (byte[]) e.getValue()[2];
            header.append(",\"").append(e.getKey()).append("\":{\"dtype\":\"").append(e.getValue()[0])
                    .append("\",\"shape\":").append(Arrays.toString((long[]) e.getValue()[1]).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + data.length)
                    .append("]}");
            offset += data.length;
        }
        header.append('}');
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            out.write(h);
            for (Object[] t : tensors.values()) {
                out.write((byte[]) t[2]);
            }
        }
    }
}
