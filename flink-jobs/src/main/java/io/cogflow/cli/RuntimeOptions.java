package io.cogflow.cli;

import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.transformer.AttentionBudget;
import io.cogflow.model.transformer.DenoiserOptions;
import picocli.CommandLine.Option;

/** TensorFlow runtime options shared by the commands that run a model. */
final class RuntimeOptions {
    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0: one per core).")
    int threads;

    @Option(names = "--attention-budget", defaultValue = "268435456",
            description = "Max attention score elements at once; queries are chunked above it.")
    long attentionBudget;

    DenoiserOptions denoiser() {
        return new DenoiserOptions(new SessionOptions(threads, 1), new AttentionBudget(attentionBudget));
    }
}
