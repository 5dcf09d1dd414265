package io.cogflow.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code .safetensors} file: an 8-byte little-endian header length, a JSON header, then raw little-endian
 * tensor data. Tensors are memory-mapped one at a time when read, so files larger than the heap (or than 2 GiB)
 * are fine as long as each single tensor is below 2 GiB.
 */
public final class SafetensorsFile implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private final Path path;
    private final FileChannel channel;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, Map<String, TensorInfo> tensors,
                            Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path path) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
            long size = ch.size();
            if (size < 8) {
                throw new CheckpointException(path + ": not a safetensors file (" + size + " bytes)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw new CheckpointException(path + ": not a safetensors file (header length " + headerLen
                        + ", file size " + size + ")");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(ch, header, 8);
            JsonNode root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
            long dataStart = 8 + headerLen;
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                tensors.put(e.getKey(), parseInfo(path, e.getKey(), e.getValue(), dataStart, size));
            }
            return new SafetensorsFile(path, ch, Collections.unmodifiableMap(tensors),
                    Collections.unmodifiableMap(metadata));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CheckpointException(path + ": no such file");
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CheckpointException(path + ": cannot read safetensors file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static TensorInfo parseInfo(Path path, String name, JsonNode node, long dataStart, long fileSize) {
        DType dtype = DType.parse(node.path("dtype").asText(), name);
        JsonNode shapeNode = node.path("shape");
        long[] shape = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
            elements *= shape[i];
        }
        JsonNode offsets = node.path("data_offsets");
        long begin = offsets.path(0).asLong(-1);
        long end = offsets.path(1).asLong(-1);
        long length = end - begin;
        if (begin < 0 || length != elements * dtype.bytes() || dataStart + end > fileSize) {
            throw new CheckpointException(path + ": tensor '" + name + "' has inconsistent data_offsets ["
                    + begin + ", " + end + ") for " + dtype + java.util.Arrays.toString(shape)
                    + " in a file of " + fileSize + " bytes");
        }
        return new TensorInfo(name, dtype, shape, dataStart + begin, length);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    public Path path() {
        return path;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new CheckpointException(path + ": no tensor named '" + name + "'");
        }
        return info;
    }

    /** The tensor's elements widened (or narrowed, for F64) to float32, in the file's row-major order. */
    public float[] readFloats(String name) {
        TensorInfo info = info(name);
        checkSize(info);
        ByteBuffer bytes = map(info);
        float[] out = new float[(int) info.elementCount()];
        switch (info.dtype()) {
            case F32 -> bytes.asFloatBuffer().get(out);
            case F64 -> {
                var d = bytes.asDoubleBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) d.get(i);
                }
            }
            case F16 -> {
                var s = bytes.asShortBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = HalfFloats.f16(s.get(i));
                }
            }
            case BF16 -> {
                var s = bytes.asShortBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = HalfFloats.bf16(s.get(i));
                }
            }
            case I64 -> {
                var l = bytes.asLongBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = l.get(i);
                }
            }
            case I32 -> {
                var n = bytes.asIntBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = n.get(i);
                }
            }
        }
        return out;
    }

    /** Receives a tensor's bytes a chunk at a time. */
    @FunctionalInterface
    public interface ByteSink {
        /** {@code length} bytes of {@code chunk}, which belong at byte {@code offset} of the tensor. */
        void put(long offset, byte[] chunk, int length);
    }

    private static final int CHUNK = 8 << 20;

    /**
     * The tensor's bytes exactly as stored (little-endian, the file's dtype, row-major), read in chunks of a few
     * MiB through one small buffer: no widening, no mapping, so neither the heap nor this process's resident
     * size ever holds the tensor — the caller's sink holds the only copy. Any size, also above 2 GiB.
     */
    public void readRaw(String name, ByteSink sink) {
        TensorInfo info = info(name);
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(1, info.length()))];
        long done = 0;
        try {
            while (done < info.length()) {
                int n = (int) Math.min(chunk.length, info.length() - done);
                ByteBuffer buf = ByteBuffer.wrap(chunk, 0, n);
                readFully(channel, buf, info.offset() + done);
                sink.put(done, chunk, n);
                done += n;
            }
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot read tensor '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * The tensor's elements as float64, in the file's row-major order: F64 exactly (reference schedules are kept
     * in double precision, and narrowing them through {@link #readFloats} would lose the digits a parity check
     * needs), every other type widened exactly.
     */
    public double[] readDoubles(String name) {
        TensorInfo info = info(name);
        checkSize(info);
        if (info.dtype() != DType.F64 && info.dtype() != DType.I64) {
            float[] f = readFloats(name);
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
            return out;
        }
        ByteBuffer bytes = map(info);
        double[] out = new double[(int) info.elementCount()];
        if (info.dtype() == DType.F64) {
            bytes.asDoubleBuffer().get(out);
        } else {
            var l = bytes.asLongBuffer();
            for (int i = 0; i < out.length; i++) {
                out[i] = l.get(i);
            }
        }
        return out;
    }

    /** The tensor's elements as 64-bit integers; floating tensors must hold whole numbers. */
    public long[] readLongs(String name) {
        TensorInfo info = info(name);
        if (info.dtype().isFloating()) {
            float[] f = readFloats(name);
            long[] out = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                if (f[i] != Math.rint(f[i])) {
                    throw new CheckpointException(path + ": tensor '" + name + "' holds " + f[i]
                            + ", not an integer");
                }
                out[i] = (long) f[i];
            }
            return out;
        }
        checkSize(info);
        ByteBuffer bytes = map(info);
        long[] out = new long[(int) info.elementCount()];
        if (info.dtype() == DType.I64) {
            bytes.asLongBuffer().get(out);
        } else {
            var n = bytes.asIntBuffer();
            for (int i = 0; i < out.length; i++) {
                out[i] = n.get(i);
            }
        }
        return out;
    }

    private void checkSize(TensorInfo info) {
        if (info.elementCount() > Integer.MAX_VALUE - 8 || info.length() > Integer.MAX_VALUE) {
            throw new CheckpointException(path + ": tensor '" + info.name() + "' " + info.shapeString()
                    + " is too large to read in one piece (over 2 GiB)");
        }
    }

    private ByteBuffer map(TensorInfo info) {
        try {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, info.offset(), info.length());
            return mapped.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot map tensor '" + info.name() + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
