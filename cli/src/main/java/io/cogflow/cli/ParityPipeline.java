package io.cogflow.cli;

import io.cogflow.parity.PipelineParity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** {@code cogflow parity pipeline}. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {"Replay a reference CogVideoXPipeline run (given prompt embeddings, initial latents, optional "
                + "noise tape; settings from the index.json beside the golden file) through an exported model and "
                + "compare the frames: PASS when relative L2 <= 1e-3. A diffusers folder is exported to a temporary "
                + "folder first."})
final class ParityPipeline extends ParityCheck {
    @Option(names = "--model", required = true, description = "An exported model, or a diffusers model folder.")
    Path model;

    @Option(names = "--golden", required = true, description = "The golden.safetensors of a pipeline run.")
    Path golden;

    @Mixin
    RuntimeOptions runtime;

    @Override
    boolean check(PrintWriter out) {
        PipelineParity.Report r = PipelineParity.run(model, golden, runtime.session());
        out.printf(Locale.ROOT, "model       %s (%s)%n", model, r.exported() ? "exported" : "exported to a temporary "
                + "folder for this check");
        out.printf(Locale.ROOT, "golden      %s%n", golden);
        out.printf(Locale.ROOT, "run         %s, %d steps, guidance %.1f, %.2f s%n", r.sampler(), r.steps(),
                r.guidance(), r.seconds());
        out.printf(Locale.ROOT, "frames      rel L2 %.3e (tolerance 1.0e-03), max |err| %.3e%n",
                r.frames().relativeL2(), r.frames().maxAbsError());
        return r.passed();
    }
}
