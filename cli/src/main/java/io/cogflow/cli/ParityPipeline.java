package io.cogflow.cli;

import io.cogflow.model.export.ComputePrecision;
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
                + "compare the frames: PASS when relative L2 <= 1e-3 (3e-2 for a bfloat16/float16 graph). The run may "
                + "hold any number of videos; they go through the model as one batch. A diffusers folder is exported "
                + "to a temporary folder first, computing in --compute."})
final class ParityPipeline extends ParityCheck {
    @Option(names = "--model", required = true, description = "An exported model, or a diffusers model folder.")
    Path model;

    @Option(names = "--golden", required = true, description = "The golden.safetensors of a pipeline run.")
    Path golden;

    @Option(names = "--compute", defaultValue = "float32", description = "When --model is a diffusers folder: the "
            + "precision to export it in (float32, bfloat16, float16). An exported model keeps its own.")
    String compute;

    @Mixin
    RuntimeOptions runtime;

    @Override
    boolean check(PrintWriter out) {
        PipelineParity.Report r = PipelineParity.run(model, golden, runtime.session(),
                ComputePrecision.parse(compute));
        out.printf(Locale.ROOT, "model       %s (%s)%n", model, r.exported() ? "exported" : "exported to a temporary "
                + "folder for this check");
        out.printf(Locale.ROOT, "golden      %s%n", golden);
        out.printf(Locale.ROOT, "run         %s, %d steps, guidance %.1f, batch %d, compute %s, %.2f s%n",
                r.sampler(), r.steps(), r.guidance(), r.batch(), r.compute().id(), r.seconds());
        out.printf(Locale.ROOT, "frames      rel L2 %.3e (tolerance %.1e), max |err| %.3e%n",
                r.frames().relativeL2(), r.tolerance(), r.frames().maxAbsError());
        return r.passed();
    }
}
