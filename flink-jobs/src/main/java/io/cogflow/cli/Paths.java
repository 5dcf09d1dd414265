package io.cogflow.cli;

import java.nio.file.Path;

/** Where the repository is when run through the ./cogflow wrapper (it passes -Dcogflow.home), else the cwd. */
final class Paths {
    private Paths() {
    }

    static Path home() {
        String home = System.getProperty("cogflow.home");
        return home == null || home.isBlank() ? Path.of("").toAbsolutePath() : Path.of(home);
    }

    static Path demoModel() {
        return home().resolve("model").resolve("demo-model");
    }
}
