package io.cogflow.training;

/**
 * Linear warmup to a peak, then cosine decay to a floor (CogVideoX paper Table 6: AdamW with cosine decay).
 *
 * <p>Why warmup: AdamW's second-moment estimate is poor in the first steps, so full-size updates then are
 * noisy; ramping the rate up avoids an early blow-up. Why a floor: decaying to exactly 0 wastes the last steps.
 *
 * <p>Steps count from 0. During warmup the rate is peak·(step+1)/warmupSteps, so step 0 is small but not 0
 * (a zero first step would be wasted) and step warmupSteps−1 reaches the peak; from warmupSteps to totalSteps
 * it follows floor + (peak−floor)·½(1 + cos(π·progress)), and it stays at the floor from totalSteps on.
 */
public final class LearningRateSchedule {
    private final double peak;
    private final int warmupSteps;
    private final int totalSteps;
    private final double floor;

    public LearningRateSchedule(double peak, int warmupSteps, int totalSteps, double floor) {
        if (!(peak > 0) || Double.isInfinite(peak)) {
            throw new IllegalArgumentException("peak learning rate must be positive and finite, got " + peak);
        }
        if (!(floor >= 0 && floor <= peak)) {
            throw new IllegalArgumentException("floor must be in [0, peak=" + peak + "], got " + floor);
        }
        if (warmupSteps < 0 || warmupSteps >= totalSteps) {
            throw new IllegalArgumentException("need 0 <= warmupSteps < totalSteps, got warmup " + warmupSteps
                    + ", total " + totalSteps);
        }
        this.peak = peak;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
        this.floor = floor;
    }

    public double at(int step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be non-negative, got " + step);
        }
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        if (step >= totalSteps) {
            return floor;
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
