package io.cogflow.model.vae;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * The layers of {@code CogVideoXEncoder3D}, derived from the config alone: conv_in, down blocks of resnets with
 * downsamplers, a mid block, the output GroupNorm and conv_out to the posterior's moments. {@link EncoderGraph}
 * builds a chunk's ops from them.
 */
record Encoder3D(Conv3d convIn, List<ResnetStage<GroupNorm>> downBlocks, List<ResnetBlock<GroupNorm>> mid,
                 GroupNorm normOut, Conv3d convOut) implements Module {

    /** The output GroupNorm's eps is fixed in diffusers, whatever the config's norm_eps. */
    private static final double NORM_OUT_EPS = 1e-6;

    static Encoder3D of(VaeConfig c) {
        String p = "encoder";
        int width = c.blockOut(0);
        Conv3d convIn = new Conv3d(p + ".conv_in.conv", c.inChannels(), width, 3);
        List<ResnetStage<GroupNorm>> down = new ArrayList<>();
        for (int b = 0; b < c.blocks(); b++) {
            String block = p + ".down_blocks." + b;
            int out = c.blockOut(b);
            List<ResnetBlock<GroupNorm>> resnets = new ArrayList<>();
            for (int r = 0; r < c.layersPerBlock(); r++) {
                resnets.add(ResnetBlock.plain(block + ".resnets." + r, r == 0 ? width : out, out, c));
            }
            // F.pad(0, 1, 0, 1) then a stride-2 conv without padding of its own
            Conv2d downsampler = b < c.blocks() - 1
                    ? new Conv2d(block + ".downsamplers.0.conv", out, out, new SpatialPadding(0, 1, 0, 1), 2) : null;
            down.add(new ResnetStage<>(List.copyOf(resnets), downsampler, b < c.temporalCompressLevel()));
            width = out;
        }
        List<ResnetBlock<GroupNorm>> mid = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            mid.add(ResnetBlock.plain(p + ".mid_block.resnets." + r, width, width, c));
        }
        return new Encoder3D(convIn, List.copyOf(down), List.copyOf(mid),
                new GroupNorm(p + ".norm_out", width, c.normNumGroups(), NORM_OUT_EPS),
                new Conv3d(p + ".conv_out.conv", width, 2L * c.latentChannels(), 3));
    }

    @Override
    public List<ParameterSpec> parameters() {
        List<Module> parts = new ArrayList<>(List.of(convIn));
        parts.addAll(downBlocks);
        parts.addAll(mid);
        parts.addAll(List.of(normOut, convOut));
        return Module.parametersOf(parts);
    }
}
