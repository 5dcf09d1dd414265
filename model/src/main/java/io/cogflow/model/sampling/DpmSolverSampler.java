package io.cogflow.model.sampling;

/**
 * SDE-DPM-Solver++(2M) as {@code CogVideoXDPMScheduler.step} (= SAT's {@code VPSDEDPMPP2MSampler}), in the
 * half-log-SNR λ = ln √(ᾱ/(1 − ᾱ)) with h = λ(t') − λ(t):
 * <pre>
 *   x_{t'} = √((1−ᾱ_{t'})/(1−ᾱ_t))·e^{−h}·x_t − expm1(−2h)·√ᾱ_{t'}·D + √(1−ᾱ_{t'})·√(1 − e^{−2h})·ε
 * </pre>
 * with D = x̂0 on the first step and on the last (t' &lt; 0), else the two-step extrapolation
 * D = (1 + 1/(2r))·x̂0 − 1/(2r)·x̂0_prev, r = (λ(t) − λ(t_prev))/h.
 *
 * <p>The reference relies on IEEE infinities rather than special cases, and so do we: at t = 999 the zero-SNR
 * schedule has ᾱ = 0, so λ = ln 0 = −∞ and h = +∞, giving e^{−h} = 0, expm1(−∞) = −1, √(1 − 0) = 1 — the
 * first step re-noises x̂0 to level t'. On the next step λ(t_prev) = −∞ makes r = +∞ and 1/(2r) = 0, so the
 * "second-order" update is first-order in effect (but still draws twice). On the last step ᾱ_{t'} = 1 gives
 * λ = ln √(1/0) = +∞, e^{−h} = 0, expm1 = −1 and a zero noise coefficient: x = x̂0. Java's log(0) = −∞,
 * exp(−∞) = 0, expm1(−∞) = −1 and 1/0.0 = +∞ give exactly these limits, and no ∞·0 or ∞ − ∞ ever reaches the
 * coefficients, so none of them becomes NaN. See {@link Trajectory} for the float32/float64 split.
 * Logarithms and exponentials use {@link StrictMath} so a seeded run is bit-reproducible across platforms
 * ({@link Math}'s intrinsics may differ by an ulp; {@code Math.sqrt} is exact everywhere).
 *
 * <p>Noise: every step draws x.length values, and a second x.length when the second-order update applies,
 * because the reference first forms the first-order sample with one draw and then replaces it. The first
 * draw is consumed even though its result is discarded, so a recorded noise tape stays aligned.
 */
final class DpmSolverSampler extends Trajectory {
    private float[] original;
    private float[] previousOriginal;
    private float[] epsilon;

    DpmSolverSampler(NoiseSchedule schedule, int steps, int firstStep) {
        super(schedule, steps, firstStep);
    }

    /** Half log-SNR; −∞ at ᾱ = 0 and +∞ at ᾱ = 1, as the reference's tensor math produces. */
    private static double lambda(double alphaCumprod) {
        return StrictMath.log(Math.sqrt(alphaCumprod / (1 - alphaCumprod)));
    }

    @Override
    protected void advance(float[] x, float[] v, NoiseSource noise, long t, long target) {
        if (noise == null) {
            throw new IllegalArgumentException("the DPM sampler is stochastic and needs a noise source");
        }
        double alphaT = schedule.alphaCumprod((int) t);
        double alphaPrev = schedule.alphaCumprodOrFinal(target);
        double lam = lambda(alphaT);
        double h = lambda(alphaPrev) - lam;
        float m1 = (float) (Math.sqrt((1 - alphaPrev) / (1 - alphaT)) * StrictMath.exp(-h));
        float m2 = (float) (StrictMath.expm1(-2 * h) * Math.sqrt(alphaPrev));
        float noiseScale = (float) (Math.sqrt(1 - alphaPrev) * Math.sqrt(1 - StrictMath.exp(-2 * h)));

        int n = x.length;
        if (epsilon == null) {
            epsilon = new float[n];
            original = new float[n];
            previousOriginal = new float[n];
        }
        float[] x0 = original;
        predictOriginal(alphaT, x, v, x0);
        noise.fill(epsilon);

        boolean firstStep = atFirstStep();
        if (firstStep || target < 0) {
            for (int i = 0; i < n; i++) {
                x[i] = m1 * x[i] - m2 * x0[i] + noiseScale * epsilon[i];
            }
        } else {
            double r = (lam - lambda(schedule.alphaCumprod((int) previousTimestep()))) / h;
            float m3 = (float) (1 + 1 / (2 * r));
            float m4 = (float) (1 / (2 * r));
            noise.fill(epsilon);
            float[] old = previousOriginal;
            for (int i = 0; i < n; i++) {
                float d = m3 * x0[i] - m4 * old[i];
                x[i] = m1 * x[i] - m2 * d + noiseScale * epsilon[i];
            }
        }
        // keep this step's x̂0 for the next step's extrapolation; reuse the older buffer for the next x̂0
        original = previousOriginal;
        previousOriginal = x0;
    }

    @Override
    public float[] predictedOriginal() {
        return atFirstStep() ? null : previousOriginal.clone();
    }
}
