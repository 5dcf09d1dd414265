package io.cogflow.model.vae;

import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.config.ModelFolder;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code AutoencoderKLCogVideoX}'s {@code config.json} as a typed record. Missing keys take diffusers' defaults
 * (the CogVideoX-2B VAE).
 *
 * @param scalingFactor latents are multiplied by it after encoding and divided by it before decoding — by the
 *                      pipeline, never inside {@link CogVideoXVae}
 */
public record VaeConfig(
        int inChannels,
        int outChannels,
        int[] blockOutChannels,
        int latentChannels,
        int layersPerBlock,
        String actFn,
        double normEps,
        int normNumGroups,
        double temporalCompressionRatio,
        int sampleHeight,
        int sampleWidth,
        double scalingFactor,
        boolean useQuantConv,
        boolean usePostQuantConv) {

    private static final int[] DEFAULT_BLOCKS = {128, 256, 256, 512};

    public VaeConfig {
        blockOutChannels = blockOutChannels.clone();
        require(inChannels > 0 && outChannels > 0 && latentChannels > 0, "channel counts must be positive");
        require(blockOutChannels.length > 0, "block_out_channels must not be empty");
        require(layersPerBlock > 0, "layers_per_block must be positive");
        require(normNumGroups > 0, "norm_num_groups must be positive");
        for (int c : blockOutChannels) {
            require(c > 0 && c % normNumGroups == 0, "every block_out_channels entry must be a positive multiple "
                    + "of norm_num_groups=" + normNumGroups + ", got " + Arrays.toString(blockOutChannels));
        }
        require(actFn.equals("silu") || actFn.equals("swish"), "act_fn '" + actFn + "' is not supported (silu)");
        require(normEps > 0, "norm_eps must be positive");
        require(temporalCompressionRatio >= 1, "temporal_compression_ratio must be at least 1, got "
                + temporalCompressionRatio);
        require(!useQuantConv && !usePostQuantConv, "use_quant_conv / use_post_quant_conv are not part of any "
                + "CogVideoX VAE and are not supported");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("vae config: " + message);
        }
    }

    /** Reads a {@code config.json}, or {@code vae/config.json} / {@code config.json} inside a folder. */
    public static VaeConfig load(Path location) {
        return from(ConfigJson.read(ModelFolder.configFile(location, "vae")));
    }

    public static VaeConfig from(ConfigJson c) {
        int[] blocks = c.integers("block_out_channels", DEFAULT_BLOCKS);
        checkBlockTypes(c, "down_block_types", "CogVideoXDownBlock3D", blocks.length);
        checkBlockTypes(c, "up_block_types", "CogVideoXUpBlock3D", blocks.length);
        return new VaeConfig(
                c.integer("in_channels", 3),
                c.integer("out_channels", 3),
                blocks,
                c.integer("latent_channels", 16),
                c.integer("layers_per_block", 3),
                c.string("act_fn", "silu"),
                c.number("norm_eps", 1e-6),
                c.integer("norm_num_groups", 32),
                c.number("temporal_compression_ratio", 4),
                c.integer("sample_height", 480),
                c.integer("sample_width", 720),
                c.number("scaling_factor", 1.15258426),
                c.bool("use_quant_conv", false),
                c.bool("use_post_quant_conv", false));
    }

    private static void checkBlockTypes(ConfigJson c, String key, String expected, int blocks) {
        if (!c.has(key)) {
            return;
        }
        String[] types = c.strings(key, new String[0]);
        // diffusers pairs block i with block_out_channels[i]; a length mismatch would silently drop blocks
        require(types.length == blocks, key + " has " + types.length + " entries but block_out_channels has "
                + blocks);
        for (String t : types) {
            require(t.equals(expected), key + " entry '" + t + "' is not supported (" + expected + ")");
        }
    }

    /**
     * Number of time-compressing stages that exist: diffusers marks the first {@code int(log2(ratio))} blocks as
     * compressing time, but the last block has no sampler, so at most blocks − 1 of them act.
     */
    public int temporalCompressLevel() {
        int marked = (int) Math.floor(Math.log(temporalCompressionRatio) / Math.log(2) + 1e-12);
        return Math.min(marked, blockOutChannels.length - 1);
    }

    /** Pixels per latent along height and width: 2^(blocks − 1). */
    public int spatialScale() {
        return 1 << (blockOutChannels.length - 1);
    }

    public int blocks() {
        return blockOutChannels.length;
    }

    public int blockOut(int i) {
        return blockOutChannels[i];
    }

    /** Decoder block widths: the encoder's reversed. */
    public int decoderBlockOut(int i) {
        return blockOutChannels[blockOutChannels.length - 1 - i];
    }

    @Override
    public int[] blockOutChannels() {
        return blockOutChannels.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VaeConfig v && toString().equals(v.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "VaeConfig[in=" + inChannels + ", out=" + outChannels + ", blocks=" + Arrays.toString(blockOutChannels)
                + ", latent=" + latentChannels + ", layers=" + layersPerBlock + ", act=" + actFn + ", eps=" + normEps
                + ", groups=" + normNumGroups + ", temporal=" + temporalCompressionRatio + ", sample=" + sampleHeight
                + "x" + sampleWidth + ", scaling=" + scalingFactor + "]";
    }
}
