package io.cogflow.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The weights of one model folder in the diffusers/transformers on-disk layout: either a single
 * {@code *.safetensors} file or shards listed by a {@code *.safetensors.index.json} weight map.
 */
public final class Checkpoint implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path source;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> owner;

    private Checkpoint(Path source, List<SafetensorsFile> files) {
        this.source = source;
        this.files = files;
        Map<String, SafetensorsFile> byName = new LinkedHashMap<>();
        for (SafetensorsFile f : files) {
            for (String name : f.tensors().keySet()) {
                SafetensorsFile previous = byName.put(name, f);
                if (previous != null) {
                    throw new CheckpointException("tensor '" + name + "' appears in both " + previous.path()
                            + " and " + f.path());
                }
            }
        }
        this.owner = Collections.unmodifiableMap(byName);
    }

    /** Weight file names of the diffusers and transformers layouts, preferred in this order. */
    private static final List<String> KNOWN_NAMES = List.of("diffusion_pytorch_model.safetensors",
            "model.safetensors");

    /**
     * Opens a checkpoint from a folder, an index file, or one safetensors file. In a folder the diffusers /
     * transformers names win ({@code diffusion_pytorch_model.safetensors[.index.json]},
     * {@code model.safetensors[.index.json]}, sharded first); otherwise a single index or a single
     * {@code .safetensors} file is used, and anything else is refused as ambiguous.
     */
    public static Checkpoint open(Path location) {
        if (Files.isDirectory(location)) {
            for (String known : KNOWN_NAMES) {
                Path index = location.resolve(known + ".index.json");
                if (Files.isRegularFile(index)) {
                    return openIndex(index);
                }
                Path single = location.resolve(known);
                if (Files.isRegularFile(single)) {
                    return new Checkpoint(single, List.of(SafetensorsFile.open(single)));
                }
            }
            List<Path> indexes = list(location, ".safetensors.index.json");
            if (indexes.size() > 1) {
                throw new CheckpointException(location + ": several safetensors index files " + indexes
                        + "; pass the one to use");
            }
            if (indexes.size() == 1) {
                return openIndex(indexes.get(0));
            }
            List<Path> singles = list(location, ".safetensors");
            if (singles.isEmpty()) {
                throw new CheckpointException(location + ": no *.safetensors file or *.safetensors.index.json");
            }
            if (singles.size() > 1) {
                throw new CheckpointException(location + ": several *.safetensors files " + singles
                        + " and no index that says how they belong together; pass the file to use");
            }
            return new Checkpoint(singles.get(0), List.of(SafetensorsFile.open(singles.get(0))));
        }
        if (!Files.isRegularFile(location)) {
            throw new CheckpointException(location + ": no such checkpoint file or folder");
        }
        if (location.getFileName().toString().endsWith(".index.json")) {
            return openIndex(location);
        }
        return new Checkpoint(location, List.of(SafetensorsFile.open(location)));
    }

    private static Checkpoint openIndex(Path index) {
        JsonNode map;
        try {
            map = JSON.readTree(index.toFile()).path("weight_map");
        } catch (IOException e) {
            throw new CheckpointException(index + ": cannot read index: " + e.getMessage(), e);
        }
        if (!map.isObject() || map.isEmpty()) {
            throw new CheckpointException(index + ": no weight_map");
        }
        Set<String> shardNames = new java.util.LinkedHashSet<>();
        map.fields().forEachRemaining(e -> shardNames.add(e.getValue().asText()));
        List<SafetensorsFile> shards = new ArrayList<>();
        try {
            for (String shard : shardNames) {
                Path p = index.resolveSibling(shard);
                if (!Files.isRegularFile(p)) {
                    throw new CheckpointException(index + ": shard " + shard + " is missing");
                }
                shards.add(SafetensorsFile.open(p));
            }
            Checkpoint ckpt = new Checkpoint(index, shards);
            map.fields().forEachRemaining(e -> {
                SafetensorsFile f = ckpt.owner.get(e.getKey());
                if (f == null || !f.path().getFileName().toString().equals(e.getValue().asText())) {
                    throw new CheckpointException(index + ": tensor '" + e.getKey() + "' is listed in "
                            + e.getValue().asText() + " but not found there");
                }
            });
            return ckpt;
        } catch (RuntimeException e) {
            shards.forEach(SafetensorsFile::close);
            throw e;
        }
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot list folder: " + e.getMessage(), e);
        }
    }

    public Path source() {
        return source;
    }

    public Set<String> names() {
        return owner.keySet();
    }

    public boolean contains(String name) {
        return owner.containsKey(name);
    }

    public TensorInfo info(String name) {
        return file(name).info(name);
    }

    public float[] readFloats(String name) {
        return file(name).readFloats(name);
    }

    /** The tensor's stored bytes, unconverted, a chunk at a time ({@link SafetensorsFile#readRaw}). */
    public void readRaw(String name, SafetensorsFile.ByteSink sink) {
        file(name).readRaw(name, sink);
    }

    private SafetensorsFile file(String name) {
        SafetensorsFile f = owner.get(name);
        if (f == null) {
            throw new CheckpointException(source + ": checkpoint has no tensor '" + name + "'");
        }
        return f;
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
