package io.cogflow.model.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Streams a checkpoint of any size to disk in the layout the model hubs ship: one {@code <base>.safetensors}
 * when everything fits one shard, else {@code <base>-0000N-of-0000M.safetensors} shards of at most
 * {@code maxShardBytes} each (a single larger tensor gets a shard of its own) and a
 * {@code <base>.safetensors.index.json} weight map, as diffusers' and transformers' {@code save_pretrained} write
 * them. Tensor data comes from a callback, one tensor at a time, so nothing larger than the caller's own buffer
 * is ever held in memory — the reason it exists next to {@link SafetensorsWriter}.
 */
public final class ShardedWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One tensor to write. */
    public record Tensor(String name, DType dtype, long[] shape) {
        public long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        public long bytes() {
            return elementCount() * dtype.bytes();
        }

        @Override
        public String toString() {
            return name + " " + dtype + Arrays.toString(shape);
        }
    }

    /** Produces one tensor's little-endian data in row-major order; must write exactly {@code t.bytes()}. */
    @FunctionalInterface
    public interface Data {
        void write(Tensor t, Sink out) throws IOException;
    }

    /** Where {@link Data} puts bytes. */
    @FunctionalInterface
    public interface Sink {
        /** Writes the buffer's remaining bytes. */
        void put(ByteBuffer bytes) throws IOException;
    }

    /**
     * @param files the weight files in order
     * @param index the index file, or null when one file holds everything
     */
    public record Written(List<Path> files, Path index, long totalBytes) {
    }

    private ShardedWriter() {
    }

    /** The weight file names for {@code tensors}: one list per shard, in order. */
    static List<List<Tensor>> shards(List<Tensor> tensors, long maxShardBytes) {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("the shard size must be positive, got " + maxShardBytes);
        }
        List<List<Tensor>> shards = new ArrayList<>();
        List<Tensor> current = new ArrayList<>();
        long size = 0;
        for (Tensor t : tensors) {
            if (!current.isEmpty() && size + t.bytes() > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(t);
            size += t.bytes();
        }
        if (!current.isEmpty()) {
            shards.add(current);
        }
        return shards;
    }

    /**
     * Writes {@code tensors} under {@code dir} with file names from {@code baseName} ({@code
     * diffusion_pytorch_model} for diffusers components, {@code model} for transformers ones).
     */
    public static Written write(Path dir, String baseName, List<Tensor> tensors, long maxShardBytes, Data data)
            throws IOException {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("a checkpoint needs at least one tensor");
        }
        List<List<Tensor>> shards = shards(tensors, maxShardBytes);
        List<Path> files = new ArrayList<>();
        Map<String, String> weightMap = new TreeMap<>();
        long total = 0;
        for (int i = 0; i < shards.size(); i++) {
            String fileName = shards.size() == 1 ? baseName + ".safetensors"
                    : String.format("%s-%05d-of-%05d.safetensors", baseName, i + 1, shards.size());
            Path file = dir.resolve(fileName);
            total += writeFile(file, shards.get(i), data);
            files.add(file);
            for (Tensor t : shards.get(i)) {
                if (weightMap.put(t.name(), fileName) != null) {
                    throw new IllegalArgumentException("tensor '" + t.name() + "' is listed twice");
                }
            }
        }
        Path index = null;
        if (shards.size() > 1) {
            index = dir.resolve(baseName + ".safetensors.index.json");
            ObjectNode root = JSON.createObjectNode();
            root.putObject("metadata").put("total_size", total);
            ObjectNode map = root.putObject("weight_map");
            weightMap.forEach(map::put);
            JSON.writerWithDefaultPrettyPrinter().writeValue(index.toFile(), root);
        }
        return new Written(List.copyOf(files), index, total);
    }

    private static long writeFile(Path file, List<Tensor> tensors, Data data) throws IOException {
        List<SafetensorsHeader.Entry> entries = tensors.stream().map(t -> new SafetensorsHeader.Entry(t.name(),
                t.dtype().name(), t.shape(), t.bytes())).toList();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.wrap(SafetensorsHeader.encode(entries));
            while (header.hasRemaining()) {
                ch.write(header);
            }
            long total = 0;
            for (Tensor t : tensors) {
                long[] written = {0};
                data.write(t, bytes -> {
                    while (bytes.hasRemaining()) {
                        written[0] += ch.write(bytes);
                    }
                });
                if (written[0] != t.bytes()) {
                    throw new IllegalStateException("tensor " + t + " needs " + t.bytes() + " bytes, but "
                            + written[0] + " were written");
                }
                total += written[0];
            }
            return total;
        }
    }
}
