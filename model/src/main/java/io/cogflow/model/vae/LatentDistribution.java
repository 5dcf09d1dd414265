package io.cogflow.model.vae;

import io.cogflow.model.tensor.HostTensor;

/**
 * The encoder's diagonal Gaussian posterior over latents (B, C, T, h, w), unscaled: the pipeline multiplies a
 * sample by {@link VaeConfig#scalingFactor()} before diffusion.
 *
 * @param logvar already clamped to [−30, 20] as the reference does
 */
public record LatentDistribution(HostTensor mean, HostTensor logvar) {

    /** mean + exp(logvar / 2) · ε for a given standard-normal ε of the same shape. */
    public HostTensor sample(HostTensor noise) {
        if (!java.util.Arrays.equals(noise.shape(), mean.shape())) {
            throw new IllegalArgumentException("noise shape " + noise.shapeString() + " differs from latents "
                    + mean.shapeString());
        }
        float[] out = new float[mean.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = mean.data()[i] + (float) Math.exp(0.5 * logvar.data()[i]) * noise.data()[i];
        }
        return new HostTensor(mean.shape(), out);
    }

    /** The posterior mode (its mean). */
    public HostTensor mode() {
        return mean;
    }
}
