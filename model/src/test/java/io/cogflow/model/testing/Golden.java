package io.cogflow.model.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the reference vectors the repository carries in {@code testdata/golden} (provenance in its README):
 * {@code -Dcogflow.golden} or {@code $COGFLOW_GOLDEN} when set (to try other vectors), else the folder in the
 * repository, found from {@code cogflow.root} (the build passes the repository root) or by walking up from the
 * working directory (a module folder when Maven runs one module). Missing golden files fail the test rather than
 * skip it: parity is the point.
 */
public final class Golden {
    static final Path IN_REPOSITORY = Path.of("testdata", "golden");

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
        return RepositoryFolders.find(IN_REPOSITORY, "README.md", "COGFLOW_GOLDEN or -Dcogflow.golden");
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
