package io.cogflow.model.transformer;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The graph inputs of one transformer call.
 *
 * @param latents   noisy latents [B, F, C, H, W]
 * @param timesteps one integer timestep per sample [B]
 * @param text      text embeddings [B, T, text_embed_dim]
 * @param positions the video tokens' positions for the config's family
 */
public record TransformerInputs(Operand<TFloat32> latents, Operand<TInt64> timesteps, Operand<TFloat32> text,
                                PositionInput positions) {
}
