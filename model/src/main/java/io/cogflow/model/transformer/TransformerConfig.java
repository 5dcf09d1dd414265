package io.cogflow.model.transformer;

import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.config.ModelFolder;

import java.nio.file.Path;

/**
 * {@code CogVideoXTransformer3DModel}'s {@code config.json} as a typed record. Field names follow diffusers; a
 * missing key takes diffusers' default (the CogVideoX-2B values).
 *
 * @param patchSizeT temporal patch size, or {@code null} for the 1.0 families (one latent frame per patch)
 */
public record TransformerConfig(
        int numAttentionHeads,
        int attentionHeadDim,
        int inChannels,
        int outChannels,
        boolean flipSinToCos,
        int freqShift,
        int timeEmbedDim,
        Integer ofsEmbedDim,
        int textEmbedDim,
        int numLayers,
        boolean attentionBias,
        int sampleWidth,
        int sampleHeight,
        int sampleFrames,
        int patchSize,
        Integer patchSizeT,
        int temporalCompressionRatio,
        int maxTextSeqLength,
        String activationFn,
        String timestepActivationFn,
        boolean normElementwiseAffine,
        double normEps,
        double spatialInterpolationScale,
        double temporalInterpolationScale,
        boolean useRotaryPositionalEmbeddings,
        boolean useLearnedPositionalEmbeddings,
        boolean patchBias) {

    public TransformerConfig {
        require(numAttentionHeads > 0, "num_attention_heads must be positive");
        require(attentionHeadDim > 0, "attention_head_dim must be positive");
        require(inChannels > 0 && outChannels > 0, "in_channels and out_channels must be positive");
        require(timeEmbedDim > 0 && textEmbedDim > 0, "time_embed_dim and text_embed_dim must be positive");
        require(numLayers >= 0, "num_layers must not be negative");
        require(patchSize > 0, "patch_size must be positive");
        require(patchSizeT == null || patchSizeT > 0, "patch_size_t must be positive or null");
        require(normEps > 0, "norm_eps must be positive");
        require(innerDim() % 2 == 0, "inner dim (heads × head dim) must be even for the timestep sinusoid");
        if (useRotaryPositionalEmbeddings) {
            // RoPE splits head_dim as t: D/4, h: 3D/8, w: 3D/8, each a whole number of (cos, sin) pairs
            require(attentionHeadDim % 16 == 0, "3D RoPE needs attention_head_dim divisible by 16, got "
                    + attentionHeadDim);
        } else {
            // sin-cos splits D as t: D/4, x: 3D/8, y: 3D/8, each an even number of dims
            require(innerDim() % 16 == 0, "3D sin-cos positions need an inner dim divisible by 16, got "
                    + innerDim());
        }
        require(activationFn.equals("gelu-approximate") || activationFn.equals("gelu"),
                "activation_fn '" + activationFn + "' is not supported (gelu-approximate, gelu)");
        require(timestepActivationFn.equals("silu"),
                "timestep_activation_fn '" + timestepActivationFn + "' is not supported (silu)");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("transformer config: " + message);
        }
    }

    /** Reads a {@code config.json}, or {@code transformer/config.json} / {@code config.json} inside a folder. */
    public static TransformerConfig load(Path location) {
        return from(ConfigJson.read(ModelFolder.configFile(location, "transformer")));
    }

    public static TransformerConfig from(ConfigJson c) {
        int inChannels = c.integer("in_channels", 16);
        return new TransformerConfig(
                c.integer("num_attention_heads", 30),
                c.integer("attention_head_dim", 64),
                inChannels,
                c.integer("out_channels", inChannels),
                c.bool("flip_sin_to_cos", true),
                c.integer("freq_shift", 0),
                c.integer("time_embed_dim", 512),
                c.optionalInteger("ofs_embed_dim"),
                c.integer("text_embed_dim", 4096),
                c.integer("num_layers", 30),
                c.bool("attention_bias", true),
                c.integer("sample_width", 90),
                c.integer("sample_height", 60),
                c.integer("sample_frames", 49),
                c.integer("patch_size", 2),
                c.optionalInteger("patch_size_t"),
                c.integer("temporal_compression_ratio", 4),
                c.integer("max_text_seq_length", 226),
                c.string("activation_fn", "gelu-approximate"),
                c.string("timestep_activation_fn", "silu"),
                c.bool("norm_elementwise_affine", true),
                c.number("norm_eps", 1e-5),
                c.number("spatial_interpolation_scale", 1.875),
                c.number("temporal_interpolation_scale", 1.0),
                c.bool("use_rotary_positional_embeddings", false),
                c.bool("use_learned_positional_embeddings", false),
                c.bool("patch_bias", true));
    }

    /** Model width D = heads × head dim. */
    public int innerDim() {
        return numAttentionHeads * attentionHeadDim;
    }

    /** Latent frames per patch: 1 for CogVideoX 1.0, {@code patch_size_t} for 1.5. */
    public int temporalPatch() {
        return patchSizeT == null ? 1 : patchSizeT;
    }

    /** Length of one patch vector: channels × temporal patch × patch². */
    public int patchVectorIn() {
        return inChannels * temporalPatch() * patchSize * patchSize;
    }

    public int patchVectorOut() {
        return outChannels * temporalPatch() * patchSize * patchSize;
    }

    public PositionEncoding positionEncoding() {
        if (!useRotaryPositionalEmbeddings) {
            return PositionEncoding.SINCOS_3D;
        }
        return patchSizeT == null ? PositionEncoding.ROPE_LINSPACE : PositionEncoding.ROPE_SLICE;
    }

    /** Refuses the image-to-video extras this graph does not build, with the reason. */
    public void requireTextToVideo() {
        if (ofsEmbedDim != null && ofsEmbedDim > 0) {
            throw new UnsupportedOperationException("transformer config has ofs_embed_dim=" + ofsEmbedDim
                    + " (CogVideoX1.5 image-to-video); cogflow builds the text-to-video transformers only");
        }
        if (useLearnedPositionalEmbeddings) {
            throw new UnsupportedOperationException("transformer config uses learned positional embeddings "
                    + "(CogVideoX-5B image-to-video); cogflow builds the text-to-video transformers only");
        }
    }
}
