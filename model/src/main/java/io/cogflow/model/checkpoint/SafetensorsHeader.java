package io.cogflow.model.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * The header of a safetensors file: the 8-byte little-endian length, then the JSON table of tensors, space-padded
 * to a multiple of 8 bytes as the reference writer pads it, so the data starts 8-byte aligned. Written by Jackson,
 * so any tensor name is escaped as JSON needs. Shared by the in-memory and the streaming writers, so both lay out
 * a file the same way.
 */
final class SafetensorsHeader {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String METADATA = "__metadata__";
    private static final int ALIGNMENT = 8;

    /** One tensor of the table, its data {@code length} bytes long, in file order. */
    record Entry(String name, String dtype, long[] shape, long length) {
    }

    private SafetensorsHeader() {
    }

    /** Length prefix and padded JSON, ready to be written before the tensors' data in {@code entries} order. */
    static byte[] encode(List<Entry> entries) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject(METADATA).put("format", "pt");
        long offset = 0;
        for (Entry e : entries) {
            ObjectNode node = root.putObject(e.name());
            node.put("dtype", e.dtype());
            ArrayNode shape = node.putArray("shape");
            for (long d : e.shape()) {
                shape.add(d);
            }
            long end = offset + e.length();
            node.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the length prefix is 8 bytes too, so a header of a multiple of 8 puts the data on an 8-byte boundary
        int padded = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] out = new byte[8 + padded];
        ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(json, 0, out, 8, json.length);
        Arrays.fill(out, 8 + json.length, out.length, (byte) ' ');
        return out;
    }
}
