package io.cogflow.cli;

import io.cogflow.parity.VaeParity;
import io.cogflow.model.vae.VaeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** {@code cogflow parity vae}. */
@Command(name = "vae", mixinStandardHelpOptions = true,
        description = {"Run a CogVideoX VAE checkpoint on the inputs of a golden file and compare.",
                "The golden file holds video (B,3,F,H,W) -> latent_mean, latent_logvar (encoder) and/or "
                        + "z (B,C,F,h,w, unscaled) -> decoded (decoder, chunked in time as the reference)."})
final class ParityVae extends ParityCheck {
    @Option(names = "--model", required = true,
            description = "VAE folder (config.json + diffusion_pytorch_model.safetensors) or a model root with vae/.")
    Path model;

    @Option(names = "--golden", required = true, description = "Safetensors file with inputs and outputs.")
    Path golden;

    @Mixin
    RuntimeOptions runtime;

    @Override
    boolean check(PrintWriter out) {
        VaeParity.Report r = VaeParity.run(model, golden,
                new VaeOptions(runtime.session(), null, false));
        ParityCommand.printModel(out, model, r.parameters(), golden);
        out.printf(Locale.ROOT, "time        %.3f s (first calls, include graph builds)%n", r.seconds());
        r.comparisons().forEach((name, c) -> ParityCommand.printComparison(out, name, c));
        return r.passed();
    }
}
