package io.cogflow.job;

import io.cogflow.model.export.ModelManifest;

import java.nio.file.Path;

/** A short name for a model in results: its folder and the start of its graph's SHA-256. */
final class ModelIds {
    private ModelIds() {
    }

    static String of(Path dir, ModelManifest manifest) {
        String sha = manifest.files().getOrDefault("saved_model.pb", "");
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return (name == null ? "model" : name.toString()) + "@" + sha.substring(0, Math.min(12, sha.length()));
    }
}
