package io.cogflow.model.export;

import io.cogflow.model.pipeline.VideoSize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A model folder with a valid manifest and stand-in files, for checks that run before TensorFlow loads it. */
final class TinyManifests {
    private TinyManifests() {
    }

    static Path write(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("variables"));
        Files.writeString(dir.resolve("saved_model.pb"), "graph");
        Files.writeString(dir.resolve("variables/variables.index"), "index");
        Map<String, String> files = new LinkedHashMap<>();
        for (String f : ModelManifest.listFiles(dir)) {
            files.put(f, ModelManifest.sha256(dir.resolve(f)));
        }
        new ModelManifest(ModelManifest.FORMAT_VERSION, "tiny", "float32", null, null, null, null, null, 8, 16, 32,
                1.0, 4, new ModelManifest.Geometry(8, 4, 2, 1),
                List.of(new ModelManifest.Size(new VideoSize(16, 16, 9), 3, 3, 2, 2, "denoise_16x16x9",
                        "decode_16x16x9")), files, ComputePrecision.FLOAT32, null).write(dir);
        return dir;
    }
}
