package io.cogflow.cli;

import io.cogflow.job.JobConfig;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is when run through the ./cogflow wrapper (it passes -Dcogflow.home), else the cwd. */
final class RepositoryPaths {
    private RepositoryPaths() {
    }

    static Path home() {
        String home = System.getProperty("cogflow.home");
        return home == null || home.isBlank() ? Path.of("").toAbsolutePath() : Path.of(home);
    }

    static Path demoModel() {
        return home().resolve("model").resolve("demo-model");
    }

    /** The thin job jar {@code mvn package} builds (docs/job-jar.md). */
    static Path jobJar() {
        return home().resolve("flink-jobs").resolve("target").resolve("cogflow-job.jar");
    }

    /** The jars for a Flink image's lib/: TensorFlow, JavaCPP, FFmpeg (docs/job-jar.md). */
    static Path flinkLib() {
        return home().resolve("flink-jobs").resolve("target").resolve("flink-lib");
    }

    static Path demoConfig() {
        return home().resolve("configs").resolve("demo.yaml");
    }

    /** The batching section with a relative profile path resolved against the repository, unless it exists here. */
    static JobConfig.Batching repositoryRelative(JobConfig.Batching b) {
        String profile = b.profile();
        if (profile != null && !Path.of(profile).isAbsolute() && !Files.exists(Path.of(profile))) {
            profile = home().resolve(profile).toString();
        }
        return b.withProfile(profile);
    }
}
