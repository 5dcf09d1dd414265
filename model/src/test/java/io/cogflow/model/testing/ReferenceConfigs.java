package io.cogflow.model.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The official configs of released checkpoints ({@code testdata/reference-configs}: CogVideoX-2b, -5b, 1.5-5b,
 * the VAE and the T5 v1.1 XXL encoder, as published with their diffusers-format weights), for tests that check
 * shapes, parameter counts and plans at full size without the weights.
 */
public final class ReferenceConfigs {
    private static final Path IN_REPOSITORY = Path.of("testdata", "reference-configs");

    private ReferenceConfigs() {
    }

    /** {@code name} without {@code .json}, e.g. {@code cogvideox-5b}. */
    public static Path path(String name) {
        Path p = RepositoryFolders.find(IN_REPOSITORY, "cogvideox-2b.json", null).resolve(name + ".json");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("reference config missing: " + p);
        }
        return p;
    }
}
