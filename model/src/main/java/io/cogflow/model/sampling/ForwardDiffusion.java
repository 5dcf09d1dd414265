package io.cogflow.model.sampling;

/**
 * The forward (noising) process and the v-prediction target, driven by the same {@link NoiseSchedule} the
 * samplers use, so training and inference cannot disagree about ᾱ_t.
 *
 * <p>Why a class of its own: SAT's {@code VideoDiffusionLoss} noises the input inside the loss and then
 * weights an x̂0 error by w = 1/(1−ᾱ). That is the same objective as a plain MSE between the network output
 * and v = √ᾱ·ε − √(1−ᾱ)·x0, because x̂0 − x0 = −√(1−ᾱ)·(v̂ − v). Keeping noise → target → reconstruction
 * explicit here lets the loss be an unweighted MSE on v and lets the identities be tested on their own.
 *
 * <p>Coefficients are computed in double (ᾱ is float64 in the schedule) and applied in float.
 */
public final class ForwardDiffusion {
    private final NoiseSchedule schedule;

    public ForwardDiffusion(NoiseSchedule schedule) {
        this.schedule = schedule;
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    /** x_t = √ᾱ_t·x0 + √(1−ᾱ_t)·ε. At t = T−1 with zero terminal SNR ᾱ = 0, so x_t = ε exactly. */
    public void noise(float[] x0, float[] eps, long t, float[] xt) {
        checkSameLength(x0, eps, xt);
        double a = alpha(t);
        combine(Math.sqrt(a), x0, Math.sqrt(1 - a), eps, xt);
    }

    /** v = √ᾱ_t·ε − √(1−ᾱ_t)·x0, the network's training target (prediction_type "v_prediction"). */
    public void velocity(float[] x0, float[] eps, long t, float[] v) {
        checkSameLength(x0, eps, v);
        double a = alpha(t);
        combine(Math.sqrt(a), eps, -Math.sqrt(1 - a), x0, v);
    }

    /** x̂0 = √ᾱ_t·x_t − √(1−ᾱ_t)·v: what the denoiser (and the samplers) recover from a predicted v. */
    public void x0FromV(float[] xt, float[] v, long t, float[] x0) {
        checkSameLength(xt, v, x0);
        double a = alpha(t);
        combine(Math.sqrt(a), xt, -Math.sqrt(1 - a), v, x0);
    }

    /**
     * Offset noise: adds level·n_b to every element of sample b, with one n_b ~ N(0,1) per sample drawn from
     * {@code noise}. A per-sample constant shifts the whole video's mean, which plain i.i.d. noise almost never
     * does, so the model learns to change overall brightness. SAT's {@code offset_noise_level} is 0 in every
     * CogVideoX config; level 0 leaves eps untouched and draws nothing.
     *
     * @param perSample elements per sample; eps.length must be a multiple of it
     */
    public static void offsetNoise(float[] eps, int perSample, double level, NoiseSource noise) {
        if (perSample < 1 || eps.length % perSample != 0) {
            throw new IllegalArgumentException("eps length " + eps.length + " is not a whole number of samples of "
                    + perSample + " elements");
        }
        if (level == 0) {
            return;
        }
        float[] offsets = new float[eps.length / perSample];
        noise.fill(offsets);
        for (int b = 0; b < offsets.length; b++) {
            float shift = (float) (level * offsets[b]);
            int from = b * perSample;
            for (int i = from; i < from + perSample; i++) {
                eps[i] += shift;
            }
        }
    }

    private double alpha(long t) {
        if (t < 0 || t >= schedule.trainTimesteps()) {
            throw new IllegalArgumentException("timestep " + t + " outside 0.." + (schedule.trainTimesteps() - 1));
        }
        return schedule.alphaCumprod((int) t);
    }

    private static void combine(double ca, float[] a, double cb, float[] b, float[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (ca * a[i] + cb * b[i]);
        }
    }

    private static void checkSameLength(float[] a, float[] b, float[] out) {
        if (a.length != b.length || a.length != out.length) {
            throw new IllegalArgumentException("length mismatch: " + a.length + ", " + b.length + " -> " + out.length);
        }
    }
}
