package io.cogflow.model.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A diffusers-layout CogVideoX folder assembled from the golden tiny components: a transformer family, the tiny
 * VAE, the tiny T5 encoder and SentencePiece tokenizer, and the scheduler of the matching golden pipeline run.
 */
public final class TinyModels {
    private TinyModels() {
    }

    /** @param family {@code cogvideox_2b_tiny} (DDIM, SNR shift 3) or {@code cogvideox_5b_tiny} (DPM, shift 1) */
    public static Path assemble(Path dir, String family) {
        boolean twoB = family.contains("2b");
        try {
            copy(Golden.path(family), dir.resolve("transformer"), "config.json", "diffusion_pytorch_model.safetensors");
            copy(Golden.path("vae_tiny"), dir.resolve("vae"), "config.json", "diffusion_pytorch_model.safetensors");
            copy(Golden.path("t5_tiny"), dir.resolve("text_encoder"), "config.json", "model.safetensors");
            copy(Golden.path("spm_tiny"), dir.resolve("tokenizer"), "spiece.model");
            Files.createDirectories(dir.resolve("scheduler"));
            Files.writeString(dir.resolve("scheduler").resolve("scheduler_config.json"), """
                    {"_class_name": "%s", "beta_end": 0.012, "beta_schedule": "scaled_linear",
                     "beta_start": 0.00085, "clip_sample": false, "num_train_timesteps": 1000,
                     "prediction_type": "v_prediction", "rescale_betas_zero_snr": true, "set_alpha_to_one": true,
                     "steps_offset": 0, "timestep_spacing": "trailing", "snr_shift_scale": %s}
                    """.formatted(twoB ? "CogVideoXDDIMScheduler" : "CogVideoXDPMScheduler", twoB ? "3.0" : "1.0"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to, String... files) throws IOException {
        Files.createDirectories(to);
        for (String f : files) {
            Files.copy(from.resolve(f), to.resolve(f));
        }
    }
}
