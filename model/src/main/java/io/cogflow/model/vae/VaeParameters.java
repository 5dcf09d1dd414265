package io.cogflow.model.vae;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * Every weight of the CogVideoX VAE by its diffusers name, read off the encoder's and decoder's layers (which are
 * derived from the config alone): the list loading, shape checks and counts use is the one the graphs read.
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
        return Decoder3D.of(c).parameters();
    }

    public static List<ParameterSpec> encoderSpecs(VaeConfig c) {
        return Encoder3D.of(c).parameters();
    }

    public static long count(List<ParameterSpec> specs) {
        return Module.count(specs);
    }
}
