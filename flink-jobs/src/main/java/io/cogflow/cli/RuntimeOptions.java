package io.cogflow.cli;

import io.cogflow.model.tf.SessionOptions;
import picocli.CommandLine.Option;

/** TensorFlow runtime options shared by the commands that run a model. */
final class RuntimeOptions {
    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0: one per core).")
    int threads;

    SessionOptions session() {
        return new SessionOptions(threads, 1);
    }
}
