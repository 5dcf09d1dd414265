package io.cogflow.cli;

import io.cogflow.model.transformer.AttentionBudget;
import io.cogflow.model.transformer.DenoiserOptions;
import picocli.CommandLine.Option;

/** Options of the commands that run a transformer. */
final class AttentionOptions {
    @Option(names = "--attention-budget", defaultValue = "268435456",
            description = "Max attention score elements at once; queries are chunked above it.")
    long attentionBudget;

    DenoiserOptions denoiser(RuntimeOptions runtime) {
        return new DenoiserOptions(runtime.session(), new AttentionBudget(attentionBudget));
    }
}
