package io.cogflow.model;

import io.cogflow.model.tensor.HostTensor;

/**
 * The diffusion network seen from a sampler: noisy latents, one integer timestep per sample and the text
 * embeddings in, the model output (for CogVideoX the v-prediction, shaped like the latents) out.
 */
public interface Denoiser extends AutoCloseable {

    /**
     * @param latents   [B, F, C, H, W]
     * @param timesteps B integer timesteps; samples of one batch may be at different steps
     * @param text      [B, T, text_embed_dim]
     */
    HostTensor denoise(HostTensor latents, long[] timesteps, HostTensor text);

    @Override
    void close();
}
