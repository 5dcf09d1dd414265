package io.cogflow.parity;

import io.cogflow.model.checkpoint.SafetensorsFile;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.vae.CogVideoXVae;
import io.cogflow.model.vae.LatentDistribution;
import io.cogflow.model.vae.VaeOptions;
import io.cogflow.model.vae.VaeParameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a VAE checkpoint on a golden file: {@code video} → {@code latent_mean}, {@code latent_logvar} (encoder)
 * and {@code z} → {@code decoded} (decoder, chunked as the reference). Either half may be absent from the file;
 * at least one must be present.
 */
public final class VaeParity {
    private VaeParity() {
    }

    /** Comparisons by output name, in the order run. */
    public record Report(Map<String, Comparison> comparisons, long parameters, double seconds) {
        public boolean passed() {
            return comparisons.values().stream().allMatch(Comparison::passed);
        }
    }

    public static Report run(Path model, Path golden, VaeOptions options) {
        if (!Files.exists(model)) {
            throw new IllegalArgumentException("model not found: " + model);
        }
        if (!Files.isRegularFile(golden)) {
            throw new IllegalArgumentException("golden file not found: " + golden);
        }
        Map<String, Comparison> out = new LinkedHashMap<>();
        try (SafetensorsFile g = SafetensorsFile.open(golden);
             CogVideoXVae vae = CogVideoXVae.load(model, options)) {
            boolean encode = g.tensors().containsKey("video");
            boolean decode = g.tensors().containsKey("z");
            if (!encode && !decode) {
                throw new IllegalArgumentException(golden + " holds neither 'video' (encoder) nor 'z' (decoder)");
            }
            long start = System.nanoTime();
            if (encode) {
                LatentDistribution posterior = vae.encode(GoldenTensors.read(g, "video"));
                out.put("latent_mean", Comparison.of(posterior.mean(), GoldenTensors.read(g, "latent_mean")));
                if (g.tensors().containsKey("latent_logvar")) {
                    out.put("latent_logvar", Comparison.of(posterior.logvar(),
                            GoldenTensors.read(g, "latent_logvar")));
                }
            }
            if (decode) {
                HostTensor frames = vae.decode(GoldenTensors.read(g, "z"));
                out.put("decoded", Comparison.of(frames, GoldenTensors.read(g, "decoded")));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Report(out, VaeParameters.count(VaeParameters.specs(vae.config())), seconds);
        }
    }
}
