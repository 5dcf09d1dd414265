package io.cogflow.model.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a folder of the repository's test data from any module's tests: from {@code cogflow.root} (the build
 * passes the repository root) or by walking up from the working directory (a module folder when Maven runs one
 * module). Reading through the file system rather than the classpath keeps the data usable when the helpers run
 * from the model's test-jar.
 */
final class RepositoryFolders {
    private RepositoryFolders() {
    }

    /** The folder {@code relative} to the repository root that holds {@code marker}; fails with {@code hint}. */
    static Path find(Path relative, String marker, String hint) {
        for (Path start : new Path[]{Path.of(System.getProperty("cogflow.root", ".")), Path.of("")}) {
            for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
                Path candidate = p.resolve(relative);
                if (Files.isRegularFile(candidate.resolve(marker))) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("the repository's " + relative + " was not found above "
                + Path.of("").toAbsolutePath() + (hint == null ? "" : "; set " + hint));
    }
}
