package io.cogflow.cli;

import io.cogflow.parity.T5Parity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/** {@code cogflow parity t5}. */
@Command(name = "t5", mixinStandardHelpOptions = true,
        description = {"Run a T5 encoder checkpoint (transformers layout) on the input_ids of a golden file and "
                + "compare with its last_hidden_state (no attention mask, as CogVideoX)."})
final class ParityT5 extends ParityCheck {
    @Option(names = "--model", required = true,
            description = "Encoder folder (config.json + model.safetensors[.index.json]) or a model root with "
                    + "text_encoder/.")
    Path model;

    @Option(names = "--golden", required = true, description = "Safetensors file with input_ids and "
            + "last_hidden_state.")
    Path golden;

    @Mixin
    RuntimeOptions runtime;

    @Override
    boolean check(PrintWriter out) {
        T5Parity.Report r = T5Parity.run(model, golden, runtime.session());
        ParityCommand.printModel(out, model, r.parameters(), golden);
        out.printf(Locale.ROOT, "output      %s, %.3f s (first call, includes graph build)%n",
                Arrays.toString(r.output().shape()), r.seconds());
        ParityCommand.printComparison(out, "last_hidden_state", r.comparison());
        return r.comparison().passed();
    }
}
