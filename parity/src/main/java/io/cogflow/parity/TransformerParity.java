package io.cogflow.parity;

import io.cogflow.model.checkpoint.SafetensorsFile;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.transformer.DenoiserOptions;
import io.cogflow.model.transformer.TransformerDenoiser;
import io.cogflow.model.transformer.TransformerParameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs a transformer checkpoint on the inputs of a golden file ({@code hidden_states},
 * {@code encoder_hidden_states}, {@code timestep}) and compares with its {@code sample}.
 */
public final class TransformerParity {
    private TransformerParity() {
    }

    public record Report(HostTensor output, Comparison comparison, long parameters, double seconds) {
    }

    public static Report run(Path model, Path golden, DenoiserOptions options) {
        if (!Files.exists(model)) {
            throw new IllegalArgumentException("model not found: " + model);
        }
        if (!Files.isRegularFile(golden)) {
            throw new IllegalArgumentException("golden file not found: " + golden);
        }
        HostTensor latents;
        HostTensor text;
        HostTensor expected;
        long[] timesteps;
        try (SafetensorsFile g = SafetensorsFile.open(golden)) {
            latents = GoldenTensors.read(g, "hidden_states");
            text = GoldenTensors.read(g, "encoder_hidden_states");
            expected = GoldenTensors.read(g, "sample");
            timesteps = g.readLongs(GoldenTensors.require(g, "timestep"));
        }
        if (timesteps.length == 1 && latents.dim(0) > 1) {
            long t = timesteps[0];
            timesteps = new long[(int) latents.dim(0)];
            Arrays.fill(timesteps, t);
        }
        try (TransformerDenoiser denoiser = TransformerDenoiser.load(model, options)) {
            long params = TransformerParameters.count(denoiser.config());
            long start = System.nanoTime();
            HostTensor out = denoiser.denoise(latents, timesteps, text);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Report(out, Comparison.of(out, expected), params, seconds);
        }
    }
}
