package io.cogflow.model.vae;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * The layers of {@code CogVideoXDecoder3D}, derived from the config alone: conv_in, a mid block and up blocks of
 * resnets whose norms are conditioned on the latents, upsamplers, the output norm and conv. {@link DecoderGraph}
 * builds a chunk's ops from them.
 */
record Decoder3D(Conv3d convIn, List<ResnetBlock<SpatialNorm3D>> mid, List<ResnetStage<SpatialNorm3D>> upBlocks,
                 SpatialNorm3D normOut, Conv3d convOut) implements Module {

    static Decoder3D of(VaeConfig c) {
        String p = "decoder";
        int width = c.decoderBlockOut(0);
        Conv3d convIn = new Conv3d(p + ".conv_in.conv", c.latentChannels(), width, 3);
        List<ResnetBlock<SpatialNorm3D>> mid = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            mid.add(ResnetBlock.spatial(p + ".mid_block.resnets." + r, width, width, c));
        }
        List<ResnetStage<SpatialNorm3D>> up = new ArrayList<>();
        for (int b = 0; b < c.blocks(); b++) {
            String block = p + ".up_blocks." + b;
            int out = c.decoderBlockOut(b);
            List<ResnetBlock<SpatialNorm3D>> resnets = new ArrayList<>();
            for (int r = 0; r <= c.layersPerBlock(); r++) {
                resnets.add(ResnetBlock.spatial(block + ".resnets." + r, r == 0 ? width : out, out, c));
            }
            Conv2d upsampler = b < c.blocks() - 1
                    ? new Conv2d(block + ".upsamplers.0.conv", out, out, SpatialPadding.all(1), 1) : null;
            up.add(new ResnetStage<>(List.copyOf(resnets), upsampler, b < c.temporalCompressLevel()));
            width = out;
        }
        return new Decoder3D(convIn, List.copyOf(mid), List.copyOf(up),
                new SpatialNorm3D(p + ".norm_out", width, c.latentChannels(), c.normNumGroups()),
                new Conv3d(p + ".conv_out.conv", width, c.outChannels(), 3));
    }

    @Override
    public List<ParameterSpec> parameters() {
        List<Module> parts = new ArrayList<>(List.of(convIn));
        parts.addAll(mid);
        parts.addAll(upBlocks);
        parts.addAll(List.of(normOut, convOut));
        return Module.parametersOf(parts);
    }
}
