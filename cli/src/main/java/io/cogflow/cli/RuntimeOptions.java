package io.cogflow.cli;

import io.cogflow.model.tf.SessionOptions;
import picocli.CommandLine.Option;

/**
 * TensorFlow session options shared by every command that runs a graph. How an exported model's graph is prepared
 * is {@link ExportedModelOptions}, only on the commands that load one.
 */
final class RuntimeOptions {
    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0: one per core).")
    int threads;

    /** One line naming what the timings ran on, for benchmark output. */
    String describe() {
        return String.format(java.util.Locale.ROOT, "cores %d, intra-op threads %s, java %s",
                Runtime.getRuntime().availableProcessors(), threads == 0 ? "auto" : threads,
                System.getProperty("java.version"));
    }

    /** The intra-op threads asked for; null when TensorFlow chooses (one per core). */
    Integer intraOpThreads() {
        return threads == 0 ? null : threads;
    }

    SessionOptions session() {
        return new SessionOptions(threads, 1);
    }
}
