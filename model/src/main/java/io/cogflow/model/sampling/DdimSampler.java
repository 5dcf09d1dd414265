package io.cogflow.model.sampling;

/**
 * Deterministic DDIM as {@code CogVideoXDDIMScheduler.step}: x_{t'} = a·x_t + b·x̂0 with
 * a = √((1 − ᾱ_{t'})/(1 − ᾱ_t)) and b = √ᾱ_{t'} − √ᾱ_t·a. The reference accepts an eta but never adds
 * noise, so there is no eta here. At t = 999 (ᾱ = 0 after the zero-SNR rescale) the first step is a pure
 * re-noising of x̂0: a = √(1 − ᾱ_{t'}), b = √ᾱ_{t'}.
 */
final class DdimSampler extends Trajectory {
    private float[] x0;

    DdimSampler(NoiseSchedule schedule, int steps, int firstStep) {
        super(schedule, steps, firstStep);
    }

    @Override
    protected void advance(float[] x, float[] v, NoiseSource noise, long t, long target) {
        double alphaT = schedule.alphaCumprod((int) t);
        double alphaPrev = schedule.alphaCumprodOrFinal(target);
        if (x0 == null) {
            x0 = new float[x.length];
        }
        predictOriginal(alphaT, x, v, x0);
        double aD = Math.sqrt((1 - alphaPrev) / (1 - alphaT));
        float a = (float) aD;
        float b = (float) (Math.sqrt(alphaPrev) - Math.sqrt(alphaT) * aD);
        for (int i = 0; i < x.length; i++) {
            x[i] = a * x[i] + b * x0[i];
        }
    }

    @Override
    public float[] predictedOriginal() {
        return x0 == null ? null : x0.clone();
    }
}
