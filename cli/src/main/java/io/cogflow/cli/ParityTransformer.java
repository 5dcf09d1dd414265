package io.cogflow.cli;

import io.cogflow.parity.Comparison;
import io.cogflow.parity.TransformerParity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/** {@code cogflow parity transformer}. */
@Command(name = "transformer", mixinStandardHelpOptions = true,
        description = {"Run a CogVideoX transformer checkpoint on the inputs of a golden file and compare.",
                "The golden file holds hidden_states (B,F,C,H,W), encoder_hidden_states (B,T,D), "
                        + "timestep (B) and the expected sample."})
final class ParityTransformer extends ParityCheck {
    @Option(names = "--model", required = true,
            description = "Transformer folder (config.json + safetensors) or a model root with transformer/.")
    Path model;

    @Option(names = "--golden", required = true, description = "Safetensors file with inputs and sample.")
    Path golden;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    AttentionOptions attention;

    @Override
    boolean check(PrintWriter out) {
        TransformerParity.Report r = TransformerParity.run(model, golden, attention.denoiser(runtime));
        Comparison c = r.comparison();
        ParityCommand.printModel(out, model, r.parameters(), golden);
        out.printf(Locale.ROOT, "output      %s, %.3f s (first call, includes graph build)%n",
                Arrays.toString(r.output().shape()), r.seconds());
        out.printf(Locale.ROOT, "max |err|   %.3e  (tolerance %.3e = 1e-4 * max|ref| %.4g + 1e-5)%n",
                c.maxAbsError(), c.tolerance(), c.maxAbsReference());
        out.printf(Locale.ROOT, "rel L2      %.3e%n", c.relativeL2());
        if (!c.finite()) {
            out.println("output has NaN or infinite values");
        }
        return c.passed();
    }
}
