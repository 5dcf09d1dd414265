package io.cogflow.training;

import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.checkpoint.DType;
import io.cogflow.model.checkpoint.SafetensorsWriter;
import io.cogflow.model.checkpoint.TensorInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Multiplies each latent channel c of a trained CogVideoX VAE by {@code scale[c]}, in its weights: the encoder's
 * posterior mean comes out {@code scale[c]} times larger (its log-variance {@code 2 ln scale[c]} higher) and the
 * decoder reads it back {@code scale[c]} times smaller, so encode-then-decode is unchanged and the folder stays an
 * ordinary {@code AutoencoderKLCogVideoX} that diffusers' pipelines run with their single {@code scaling_factor}.
 *
 * <p>Why: one {@code scaling_factor} cannot give every channel the unit spread the noise schedule assumes. The
 * demo VAE's channels spread 0.30 to 1.54 after it, and the weak ones are mostly differences between neighbouring
 * latent pixels — the outline — which the schedule's isotropic noise buries at a fifth of the noise level that
 * buries the strong one (docs/training.md). Balancing them is what per-channel latent statistics do in other
 * video VAEs; folding it into the weights keeps CogVideoX's pipeline as it is.
 *
 * <p>The fold is exact because every place the latent enters is linear in it per channel:
 * {@code encoder.conv_out} (its first {@code latent_channels} outputs are the mean, the rest the log-variance) and,
 * in the decoder, {@code conv_in} and the {@code conv_y}/{@code conv_b} of every spatial norm, whose padding is
 * zeros (a scale maps zero to zero). A per-channel shift would not be: {@code conv_in} pads the latent with zeros
 * at the frame's border. Only float32 weights are folded; quant convolutions are not part of any CogVideoX VAE and
 * {@code VaeConfig} refuses them.
 */
final class LatentChannelFold {
    /** The decoder's spatial norms take the latent through these 1×1×1 convolutions. */
    private static final Pattern SPATIAL_NORM_INPUT = Pattern.compile("decoder\\..*\\.conv_[yb]\\.conv\\.weight");
    static final String ENCODER_OUT_WEIGHT = "encoder.conv_out.conv.weight";
    static final String ENCODER_OUT_BIAS = "encoder.conv_out.conv.bias";
    static final String DECODER_IN_WEIGHT = "decoder.conv_in.conv.weight";

    private LatentChannelFold() {
    }

    /** The names of the decoder weights whose input is the latent, in {@code weights} (a diffusers VAE file). */
    static List<String> decoderInputs(Checkpoint weights) {
        return weights.names().stream().sorted()
                .filter(n -> n.equals(DECODER_IN_WEIGHT) || SPATIAL_NORM_INPUT.matcher(n).matches())
                .toList();
    }

    /** Rewrites {@code file} (a diffusers VAE's safetensors) with channel c of its latent times {@code scale[c]}. */
    static void apply(Path file, double[] scale) throws IOException {
        for (double s : scale) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("latent channel scales must be positive and finite, got " + s);
            }
        }
        int c = scale.length;
        SafetensorsWriter out = new SafetensorsWriter();
        try (Checkpoint in = Checkpoint.open(file)) {
            List<String> decoderInputs = decoderInputs(in);
            if (!decoderInputs.contains(DECODER_IN_WEIGHT)) {
                throw new IllegalArgumentException(file + " has no " + DECODER_IN_WEIGHT + ": not a CogVideoX VAE");
            }
            for (String name : new TreeSet<>(in.names())) {
                TensorInfo info = in.info(name);
                if (info.dtype() != DType.F32) {
                    throw new IllegalArgumentException(name + " is " + info.dtype() + ": only float32 weights are "
                            + "folded");
                }
                float[] v = in.readFloats(name);
                long[] shape = info.shape();
                if (name.equals(ENCODER_OUT_WEIGHT)) {
                    requireDim(name, shape, 0, 2L * c);
                    scaleAlong(v, shape, 0, c, scale, false);
                } else if (name.equals(ENCODER_OUT_BIAS)) {
                    requireDim(name, shape, 0, 2L * c);
                    for (int i = 0; i < c; i++) {
                        v[i] = (float) (v[i] * scale[i]);
                        v[c + i] = (float) (v[c + i] + 2 * Math.log(scale[i]));
                    }
                } else if (decoderInputs.contains(name)) {
                    requireDim(name, shape, 1, c);
                    scaleAlong(v, shape, 1, c, scale, true);
                }
                out.f32(name, shape, v);
            }
        }
        AtomicFiles.write(file, out::write);
    }

    private static void requireDim(String name, long[] shape, int axis, long expected) {
        if (shape.length <= axis || shape[axis] != expected) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(shape)
                    + ", expected " + expected + " along axis " + axis + " for the latent channels");
        }
    }

    /** Multiplies (or divides) index i < count along {@code axis} of a row-major tensor by {@code scale[i]}. */
    private static void scaleAlong(float[] v, long[] shape, int axis, int count, double[] scale, boolean divide) {
        long inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        long along = shape[axis];
        for (int i = 0; i < v.length; i++) {
            int index = (int) ((i / inner) % along);
            if (index < count) {
                v[i] = (float) (divide ? v[i] / scale[index] : v[i] * scale[index]);
            }
        }
    }
}
