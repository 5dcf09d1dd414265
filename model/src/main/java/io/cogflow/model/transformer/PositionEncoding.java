package io.cogflow.model.transformer;

/** The three ways CogVideoX families tell video tokens where they are. */
public enum PositionEncoding {
    /** CogVideoX-2B: a 3D sin-cos table added to the patch embeddings. */
    SINCOS_3D,
    /** CogVideoX-5B: 3D RoPE on q and k, positions interpolated onto the training grid ("linspace" + crop). */
    ROPE_LINSPACE,
    /** CogVideoX1.5: 3D RoPE on q and k with integer positions ("slice" grid). */
    ROPE_SLICE
}
