package io.cogflow.model.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where one component of a diffusers-style model lives: its own folder, or a model root holding it in a named
 * subfolder ({@code transformer/}, {@code vae/}, {@code text_encoder/}) as the model hubs lay CogVideoX out.
 */
public final class ModelFolder {
    private ModelFolder() {
    }

    /** The folder with the component's {@code config.json}: {@code location/component} if it has one, else location. */
    public static Path component(Path location, String component) {
        if (!Files.isDirectory(location)) {
            throw new IllegalArgumentException(component + " folder not found: " + location);
        }
        Path nested = location.resolve(component);
        if (Files.isRegularFile(nested.resolve("config.json"))) {
            return nested;
        }
        if (!Files.isRegularFile(location.resolve("config.json"))) {
            throw new IllegalArgumentException(location + ": no config.json, and no " + component + "/config.json");
        }
        return location;
    }

    /** The {@code config.json} a location stands for: the file itself, or the component folder's. */
    public static Path configFile(Path location, String component) {
        return Files.isDirectory(location) ? component(location, component).resolve("config.json") : location;
    }
}
