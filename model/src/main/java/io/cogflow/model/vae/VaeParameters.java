package io.cogflow.model.vae;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.checkpoint.TorchLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * Every weight of the CogVideoX VAE by its diffusers name, derived from the config alone: the single source for
 * building the graphs, loading checkpoints and counting parameters.
 */
public final class VaeParameters {
    private VaeParameters() {
    }

    /** Encoder and decoder together, as a full {@code diffusion_pytorch_model.safetensors} holds them. */
    public static List<ParameterSpec> specs(VaeConfig c) {
        List<ParameterSpec> all = new ArrayList<>(encoderSpecs(c));
        all.addAll(decoderSpecs(c));
        return all;
    }

    public static List<ParameterSpec> decoderSpecs(VaeConfig c) {
        List<ParameterSpec> s = new ArrayList<>();
        int latent = c.latentChannels();
        int width = c.decoderBlockOut(0);
        conv3d(s, "decoder.conv_in.conv", width, latent, 3);
        for (int r = 0; r < 2; r++) {
            resnet(s, "decoder.mid_block.resnets." + r, width, width, latent);
        }
        for (int b = 0; b < c.blocks(); b++) {
            int out = c.decoderBlockOut(b);
            for (int r = 0; r <= c.layersPerBlock(); r++) {
                resnet(s, "decoder.up_blocks." + b + ".resnets." + r, r == 0 ? width : out, out, latent);
            }
            if (b < c.blocks() - 1) {
                conv2d(s, "decoder.up_blocks." + b + ".upsamplers.0.conv", out, out);
            }
            width = out;
        }
        spatialNorm(s, "decoder.norm_out", width, latent);
        conv3d(s, "decoder.conv_out.conv", c.outChannels(), width, 3);
        return s;
    }

    public static List<ParameterSpec> encoderSpecs(VaeConfig c) {
        List<ParameterSpec> s = new ArrayList<>();
        int width = c.blockOut(0);
        conv3d(s, "encoder.conv_in.conv", width, c.inChannels(), 3);
        for (int b = 0; b < c.blocks(); b++) {
            int out = c.blockOut(b);
            for (int r = 0; r < c.layersPerBlock(); r++) {
                resnet(s, "encoder.down_blocks." + b + ".resnets." + r, r == 0 ? width : out, out, 0);
            }
            if (b < c.blocks() - 1) {
                conv2d(s, "encoder.down_blocks." + b + ".downsamplers.0.conv", out, out);
            }
            width = out;
        }
        for (int r = 0; r < 2; r++) {
            resnet(s, "encoder.mid_block.resnets." + r, width, width, 0);
        }
        s.add(ParameterSpec.vector("encoder.norm_out.weight", width));
        s.add(ParameterSpec.vector("encoder.norm_out.bias", width));
        conv3d(s, "encoder.conv_out.conv", 2 * c.latentChannels(), width, 3);
        return s;
    }

    public static long count(List<ParameterSpec> specs) {
        return specs.stream().mapToLong(ParameterSpec::elementCount).sum();
    }

    /** A resnet block; {@code zqChannels} > 0 makes its norms spatially conditioned (decoder), 0 plain (encoder). */
    private static void resnet(List<ParameterSpec> s, String p, int in, int out, int zqChannels) {
        norm(s, p + ".norm1", in, zqChannels);
        conv3d(s, p + ".conv1.conv", out, in, 3);
        norm(s, p + ".norm2", out, zqChannels);
        conv3d(s, p + ".conv2.conv", out, out, 3);
        if (in != out) {
            conv3d(s, p + ".conv_shortcut", out, in, 1);
        }
    }

    private static void norm(List<ParameterSpec> s, String p, int channels, int zqChannels) {
        if (zqChannels > 0) {
            spatialNorm(s, p, channels, zqChannels);
        } else {
            s.add(ParameterSpec.vector(p + ".weight", channels));
            s.add(ParameterSpec.vector(p + ".bias", channels));
        }
    }

    private static void spatialNorm(List<ParameterSpec> s, String p, int channels, int zqChannels) {
        s.add(ParameterSpec.vector(p + ".norm_layer.weight", channels));
        s.add(ParameterSpec.vector(p + ".norm_layer.bias", channels));
        conv3d(s, p + ".conv_y.conv", channels, zqChannels, 1);
        conv3d(s, p + ".conv_b.conv", channels, zqChannels, 1);
    }

    private static void conv3d(List<ParameterSpec> s, String p, int out, int in, int k) {
        s.add(new ParameterSpec(p + ".weight", new long[]{out, in, k, k, k}, TorchLayout.CONV3D));
        s.add(ParameterSpec.vector(p + ".bias", out));
    }

    private static void conv2d(List<ParameterSpec> s, String p, int out, int in) {
        s.add(new ParameterSpec(p + ".weight", new long[]{out, in, 3, 3}, TorchLayout.CONV2D));
        s.add(ParameterSpec.vector(p + ".bias", out));
    }
}
