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
 * @param sinCos    2B family: the [V, D] table from {@link SinCosPositions}; otherwise null
 * @param ropeCos   RoPE families: [V, head_dim] from {@link RotaryPositions}; otherwise null
 * @param ropeSin   as {@code ropeCos}
 */
public record TransformerInputs(Operand<TFloat32> latents, Operand<TInt64> timesteps, Operand<TFloat32> text,
                                Operand<TFloat32> sinCos, Operand<TFloat32> ropeCos, Operand<TFloat32> ropeSin) {
}
