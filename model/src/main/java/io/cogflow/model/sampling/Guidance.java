package io.cogflow.model.sampling;

import java.math.BigDecimal;

/** Classifier-free guidance as the CogVideoX pipeline applies it. */
public final class Guidance {
    private Guidance() {
    }

    /**
     * diffusers' dynamic CFG: 1 + g·(1 − cos(π·((N − t)/N)^5))/2 with t the timestep VALUE, N the step count.
     *
     * <p>The formula reads like a schedule over the step index, but the reference passes the timestep value
     * (999, 979, …), so (N − t)/N runs from about −19 to 0.6 and the scale oscillates quasi-randomly in
     * [1, 1 + g]. The authors call this intended (CogVideo#267) and official outputs depend on it, so it is kept
     * verbatim. Computed in double like the Python float arithmetic it copies, platform-independently
     * ({@link StrictMath}, an exactly rounded power).
     */
    public static double dynamicScale(double guidance, long timestep, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be positive, got " + steps);
        }
        double phase = fifthPower((double) (steps - timestep) / steps);
        return 1 + guidance * ((1 - StrictMath.cos(Math.PI * phase)) / 2);
    }

    /**
     * x⁵ correctly rounded, as CPython's {@code x ** 5.0} gets from glibc's pow. The cosine's argument reaches
     * ~1e7 rad at t = 999, so one ulp of x⁵ moves the scale by ~5e-9; {@link StrictMath#pow} is off by an ulp
     * there and {@link Math#pow} is platform-dependent, while the exact product rounded once is neither.
     */
    private static double fifthPower(double x) {
        BigDecimal b = new BigDecimal(x);
        return b.pow(5).doubleValue();
    }

    /**
     * out[i] = uncond[i] + scale·(cond[i] − uncond[i]) (out may alias either input).
     *
     * <p>The scale is rounded to float once and each op is float32, as the reference's float32 tensor math does.
     */
    public static void combine(float[] uncond, float[] cond, double scale, float[] out) {
        if (uncond.length != cond.length || out.length != cond.length) {
            throw new IllegalArgumentException("guidance needs equal lengths, got uncond " + uncond.length
                    + ", cond " + cond.length + ", out " + out.length);
        }
        float s = (float) scale;
        for (int i = 0; i < out.length; i++) {
            float u = uncond[i];
            out[i] = u + s * (cond[i] - u);
        }
    }
}
