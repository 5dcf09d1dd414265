package io.cogflow.job;

import java.nio.file.Path;

/** Models the flink-jobs tests run on. */
public final class TestModels {
    private TestModels() {
    }

    /**
     * A tiny exported model with random weights and three sizes (64x64x9, 96x64x9, 128x128x17): for testing the
     * plumbing (bucketing, batching, exactly-once, dead letters), where a fast model matters and video content
     * does not. See {@code flink-jobs/src/test/models/README.md}.
     */
    public static Path plumbing() {
        return Path.of(System.getProperty("cogflow.root", "..")).resolve("flink-jobs/src/test/models/plumbing");
    }
}
