package io.cogflow.cli;

import io.cogflow.parity.Comparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;

/** {@code cogflow parity …}: compare a component with reference outputs. */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = "Check a component against reference outputs: tensors within max |a-b| <= 1e-4*max|ref| + 1e-5,"
                + " token ids exactly. Exit 0 on PASS, 1 on FAIL.",
        subcommands = {ParityTransformer.class, ParityVae.class, ParityT5.class,
                ParityTokenizer.class, ParityPipeline.class})
final class ParityCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static void printModel(PrintWriter out, java.nio.file.Path model, long parameters, java.nio.file.Path golden) {
        out.printf(Locale.ROOT, "model       %s (%,d parameters)%n", model, parameters);
        out.printf(Locale.ROOT, "golden      %s%n", golden);
    }

    /** One line per compared tensor, the same for every component. */
    static void printComparison(PrintWriter out, String name, Comparison c) {
        out.printf(Locale.ROOT, "%-17s max |err| %.3e  (tolerance %.3e = 1e-4 * max|ref| %.4g + 1e-5)  rel L2 %.3e"
                        + "  %s%s%n", name, c.maxAbsError(), c.tolerance(), c.maxAbsReference(), c.relativeL2(),
                c.passed() ? "ok" : "MISMATCH", c.finite() ? "" : " (NaN or infinite values)");
    }

    static int verdict(PrintWriter out, boolean passed) {
        out.println(passed ? "PASS" : "FAIL");
        out.flush();
        return passed ? 0 : Cogflow.FAIL;
    }
}
