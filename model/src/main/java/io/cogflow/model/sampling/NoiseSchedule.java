package io.cogflow.model.sampling;

/**
 * The cumulative signal fractions ᾱ_t of the CogVideoX schedulers and their "trailing" inference timesteps.
 *
 * <p>Everything is float64 because the reference builds this table in float64 ({@code torch.linspace(...,
 * dtype=float64)}) and keeps it there: ᾱ near t = 999 is ~1e-5 before the zero-SNR rescale and exactly 0
 * after it, and the DPM sampler takes logarithms of ᾱ/(1−ᾱ); float32 would move those values visibly. The
 * operations follow the reference's order (torch's two-sided linspace, a sequential cumprod) so the table
 * agrees with diffusers' to a few ulps.
 */
public final class NoiseSchedule {
    private final double[] alphasCumprod;
    private final double finalAlphaCumprod;

    private NoiseSchedule(double[] alphasCumprod, double finalAlphaCumprod) {
        this.alphasCumprod = alphasCumprod;
        this.finalAlphaCumprod = finalAlphaCumprod;
    }

    /**
     * scaled_linear betas, ᾱ = cumprod(1 − β), the SD3-style SNR shift ᾱ/(s + (1 − s)ᾱ), then (when configured)
     * the zero-terminal-SNR rescale of √ᾱ. Unsupported settings were already refused by {@link SchedulerConfig}.
     */
    public static NoiseSchedule of(SchedulerConfig c) {
        int n = c.numTrainTimesteps();
        double[] sqrtBetas = torchLinspace(Math.sqrt(c.betaStart()), Math.sqrt(c.betaEnd()), n);
        double[] a = new double[n];
        double product = 1.0;
        for (int i = 0; i < n; i++) {
            double beta = sqrtBetas[i] * sqrtBetas[i];
            product *= 1.0 - beta;
            a[i] = product;
        }
        double s = c.snrShiftScale();
        for (int i = 0; i < n; i++) {
            a[i] = a[i] / (s + (1 - s) * a[i]);
        }
        if (c.rescaleBetasZeroSnr()) {
            rescaleZeroTerminalSnr(a);
        }
        return new NoiseSchedule(a, c.setAlphaToOne() ? 1.0 : a[0]);
    }

    /**
     * torch's CPU linspace fills the first half forwards from start and the second half backwards from end, so
     * both endpoints are exact; a plain start + i·step would differ in the last bits of the upper half.
     */
    private static double[] torchLinspace(double start, double end, int steps) {
        double[] out = new double[steps];
        double step = (end - start) / (steps - 1);
        int halfway = steps / 2;
        for (int i = 0; i < steps; i++) {
            out[i] = i < halfway ? start + step * i : end - step * (steps - i - 1);
        }
        return out;
    }

    /** Lin et al. 2023, Algorithm 1: shift √ᾱ so the last value is 0, scale so the first keeps its value. */
    private static void rescaleZeroTerminalSnr(double[] a) {
        int last = a.length - 1;
        double first = Math.sqrt(a[0]);
        double terminal = Math.sqrt(a[last]);
        double scale = first / (first - terminal);
        for (int i = 0; i < a.length; i++) {
            double q = (Math.sqrt(a[i]) - terminal) * scale;
            a[i] = q * q;
        }
    }

    /** ᾱ_t for 0 ≤ t < trainTimesteps. */
    public double alphaCumprod(int t) {
        if (t < 0 || t >= alphasCumprod.length) {
            throw new IndexOutOfBoundsException("timestep " + t + " outside 0.." + (alphasCumprod.length - 1));
        }
        return alphasCumprod[t];
    }

    /**
     * ᾱ at a sampler's target timestep: below 0 (past the last training step) the reference substitutes
     * {@code final_alpha_cumprod}, 1 with set_alpha_to_one, else ᾱ_0.
     */
    public double alphaCumprodOrFinal(long t) {
        return t < 0 ? finalAlphaCumprod : alphaCumprod(Math.toIntExact(t));
    }

    public double[] alphasCumprod() {
        return alphasCumprod.clone();
    }

    public int trainTimesteps() {
        return alphasCumprod.length;
    }

    /** The reference's step size between consecutive inference timesteps: numTrainTimesteps // steps. */
    public int stride(int steps) {
        checkSteps(steps);
        return alphasCumprod.length / steps;
    }

    /**
     * "trailing" spacing: round(arange(T, 0, −T/N)) − 1, i.e. 999, 979, …, 19 for T = 1000, N = 50.
     *
     * <p>Reproduces numpy's arithmetic, not the ideal grid: {@code np.arange} fills value i as
     * start + i·((start + step) − start) and {@code np.round} rounds halves to even ({@link Math#rint}); the
     * naive T − i·T/N differs for 111 of the step counts 1..1000 (e.g. N = 48). For 62 step counts (N = 61,
     * 103, …) numpy's length ceil(T/(T/N)) is N + 1 and the extra entry is the invalid timestep −1; the
     * reference would call the model at t = −1 there. We return the first N entries, which equal the
     * reference's, and drop that spurious step.
     */
    public long[] timesteps(int steps) {
        checkSteps(steps);
        double start = alphasCumprod.length;
        double step = -(start / steps);
        double delta = (start + step) - start;
        long[] out = new long[steps];
        for (int i = 0; i < steps; i++) {
            out[i] = (long) Math.rint(start + i * delta) - 1;
        }
        return out;
    }

    private void checkSteps(int steps) {
        if (steps < 1 || steps > alphasCumprod.length) {
            throw new IllegalArgumentException("number of inference steps must be in 1.." + alphasCumprod.length
                    + " (the training timesteps), got " + steps);
        }
    }
}
