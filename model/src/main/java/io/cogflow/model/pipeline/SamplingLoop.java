package io.cogflow.model.pipeline;

import io.cogflow.model.Denoiser;
import io.cogflow.model.sampling.Guidance;
import io.cogflow.model.sampling.NoiseSource;
import io.cogflow.model.sampling.DiffusionSampler;
import io.cogflow.model.tensor.HostTensor;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The denoising loop over a batch whose samples each keep their own sampler state, guidance and noise: every
 * iteration ({@link #step}) makes one batched transformer call for the samples given (unconditional rows first,
 * then conditional ones, each at its own timestep), then applies guidance and each sample's sampler step. Since
 * nothing ties one iteration to the next but the samples' own state, the set may change between iterations:
 * samples with fewer steps leave early, and new ones may join (continuous batching).
 */
public final class SamplingLoop {

    /**
     * One sample in flight.
     *
     * @param latents the sample, updated in place: (F, C, H, W) flattened
     * @param cond    conditional text embeddings (L, D) flattened
     * @param uncond  unconditional ones, or null when the sample uses no guidance
     */
    public record Sample(float[] latents, float[] cond, float[] uncond, DiffusionSampler sampler, double guidance,
                         boolean dynamicCfg, NoiseSource noise) {
    }

    private SamplingLoop() {
    }

    /**
     * One iteration: one batched transformer call over {@code samples}, each at its own timestep, then guidance
     * and each sample's sampler step (its latents change in place).
     *
     * @param latentShape (F, C, H, W) of every sample
     * @param textShape   (L, D) of every embedding
     * @param samples     none done, none twice (a sample listed twice would take two steps on one prediction)
     */
    public static void step(Denoiser model, long[] latentShape, long[] textShape, List<Sample> samples) {
        requireSteppable(samples);
        int latentSize = Math.toIntExact(latentShape[0] * latentShape[1] * latentShape[2] * latentShape[3]);
        int textSize = Math.toIntExact(textShape[0] * textShape[1]);
        List<Sample> guided = samples.stream().filter(s -> s.uncond() != null).toList();
        int rows = guided.size() + samples.size();
        float[] x = new float[rows * latentSize];
        float[] text = new float[rows * textSize];
        long[] t = new long[rows];
        int row = 0;
        // the reference batches [unconditional, conditional]; rows are independent, the order is for parity
        for (Sample s : guided) {
            System.arraycopy(s.latents(), 0, x, row * latentSize, latentSize);
            System.arraycopy(s.uncond(), 0, text, row * textSize, textSize);
            t[row++] = s.sampler().timestep();
        }
        for (Sample s : samples) {
            System.arraycopy(s.latents(), 0, x, row * latentSize, latentSize);
            System.arraycopy(s.cond(), 0, text, row * textSize, textSize);
            t[row++] = s.sampler().timestep();
        }
        HostTensor v = model.denoise(new HostTensor(prepend(rows, latentShape), x), t,
                new HostTensor(prepend(rows, textShape), text));
        int guidedRow = 0;
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            float[] out = new float[latentSize];
            System.arraycopy(v.data(), (guided.size() + i) * latentSize, out, 0, latentSize);
            if (s.uncond() != null) {
                float[] uncond = new float[latentSize];
                System.arraycopy(v.data(), guidedRow++ * latentSize, uncond, 0, latentSize);
                double scale = s.dynamicCfg()
                        ? Guidance.dynamicScale(s.guidance(), s.sampler().timestep(), s.sampler().steps())
                        : s.guidance();
                Guidance.combine(uncond, out, scale, out);
            }
            s.sampler().step(s.latents(), out, s.noise());
        }
    }

    private static void requireSteppable(List<Sample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples to step");
        }
        Set<Sample> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Sample s : samples) {
            if (s.sampler().done()) {
                throw new IllegalArgumentException("a sample that has taken all its " + s.sampler().steps()
                        + " steps cannot step again");
            }
            if (!seen.add(s)) {
                throw new IllegalArgumentException("a sample is listed twice in one step");
            }
        }
    }

    private static long[] prepend(long first, long[] rest) {
        long[] s = new long[rest.length + 1];
        s[0] = first;
        System.arraycopy(rest, 0, s, 1, rest.length);
        return s;
    }
}
