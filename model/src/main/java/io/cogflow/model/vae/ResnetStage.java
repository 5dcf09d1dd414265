package io.cogflow.model.vae;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * A down block of the encoder ({@code CogVideoXDownBlock3D}) or an up block of the decoder
 * ({@code CogVideoXUpBlock3D}): resnets, then a resampler that changes the resolution. The two share a layout and
 * differ only in the resampler's direction, which their graph builders know.
 *
 * @param resampler    the block's down- or upsampler conv; null on the last block, which keeps the resolution
 * @param compressTime whether the resampler also halves (down) or doubles (up) the frame count
 */
record ResnetStage<N extends Module>(List<ResnetBlock<N>> resnets, Conv2d resampler, boolean compressTime)
        implements Module {

    @Override
    public List<ParameterSpec> parameters() {
        List<Module> parts = new ArrayList<>(resnets);
        parts.add(resampler);
        return Module.parametersOf(parts);
    }
}
