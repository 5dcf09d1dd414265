package io.cogflow.model.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared reference vectors: {@code -Dcogflow.golden}, then {@code $COGFLOW_GOLDEN}, then
 * {@code ../shared/golden} next to the repository (the build passes the repository root as
 * {@code cogflow.root}). Missing golden files fail the test rather than skip it: parity is the point.
 */
public final class Golden {
    private Golden() {
    }

    public static Path root() {
        String prop = System.getProperty("cogflow.golden");
        if (prop != null && !prop.isBlank()) {
            return existing(Path.of(prop), "-Dcogflow.golden");
        }
        String env = System.getenv("COGFLOW_GOLDEN");
        if (env != null && !env.isBlank()) {
            return existing(Path.of(env), "COGFLOW_GOLDEN");
        }
        Path repo = Path.of(System.getProperty("cogflow.root", ".")).toAbsolutePath().normalize();
        for (Path p = repo; p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared").resolve("golden");
            if (Files.isRegularFile(candidate.resolve("README.md"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("golden reference vectors not found next to " + repo
                + " (expected ../shared/golden); set COGFLOW_GOLDEN or -Dcogflow.golden");
    }

    public static Path path(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("golden file missing: " + p);
        }
        return p;
    }

    private static Path existing(Path p, String source) {
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException(source + " points to " + p + ", which is not a folder");
        }
        return p;
    }
}
