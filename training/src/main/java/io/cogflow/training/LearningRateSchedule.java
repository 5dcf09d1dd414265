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
 *
 * <p>{@link #restartingAt} gives a schedule that starts again — warmup, then its own cosine — at given steps
 * (warm restarts, SGDR): a stage whose phases learn different things gives each phase the whole schedule, instead
 * of leaving a late phase only the tail of one cosine. {@link #holdingFirstSpan} keeps the first span at the peak
 * after its warmup (diffusers' {@code constant_with_warmup}): annealing pays only where training ends, and a span
 * that a restart follows is not where it ends.
 */
public final class LearningRateSchedule {
    private final double peak;
    private final int warmupSteps;
    private final int totalSteps;
    private final double floor;
    /** Steps where the schedule starts again, ascending, each in (0, totalSteps); empty for one cosine. */
    private final int[] restarts;
    /** Whether the first span stays at the peak after its warmup instead of decaying; only with restarts. */
    private final boolean holdFirstSpan;

    public LearningRateSchedule(double peak, int warmupSteps, int totalSteps, double floor) {
        this(peak, warmupSteps, totalSteps, floor, new int[0], false);
    }

    private LearningRateSchedule(double peak, int warmupSteps, int totalSteps, double floor, int[] restarts,
                                 boolean holdFirstSpan) {
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
        int start = 0;
        for (int r : restarts) {
            if (r - start <= warmupSteps || r >= totalSteps) {
                throw new IllegalArgumentException("restarts must ascend inside (0, " + totalSteps
                        + ") with more than the " + warmupSteps + " warmup steps in each span, got "
                        + java.util.Arrays.toString(restarts));
            }
            start = r;
        }
        if (totalSteps - start <= warmupSteps) {
            throw new IllegalArgumentException("the last span from step " + start + " to " + totalSteps
                    + " must be longer than the " + warmupSteps + " warmup steps");
        }
        this.peak = peak;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
        this.floor = floor;
        if (holdFirstSpan && restarts.length == 0) {
            throw new IllegalArgumentException("holding the first span at the peak needs a restart after it: "
                    + "a schedule must decay where training ends");
        }
        this.restarts = restarts.clone();
        this.holdFirstSpan = holdFirstSpan;
    }

    /**
     * This schedule started again at each of {@code steps}: step s in the span [r, next restart) gets the rate a
     * schedule of that span's length gives its step s − r.
     */
    public LearningRateSchedule restartingAt(int... steps) {
        return new LearningRateSchedule(peak, warmupSteps, totalSteps, floor, steps, holdFirstSpan);
    }

    /**
     * This schedule with its first span — up to the first restart — held at the peak after the warmup; the spans
     * after it warm up and decay as before. Refused without a restart.
     */
    public LearningRateSchedule holdingFirstSpan() {
        return new LearningRateSchedule(peak, warmupSteps, totalSteps, floor, restarts, true);
    }

    public double at(int step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be non-negative, got " + step);
        }
        int start = 0;
        int end = totalSteps;
        for (int r : restarts) {
            if (r <= step) {
                start = r;
            } else {
                end = r;
                break;
            }
        }
        if (step >= totalSteps) {
            return floor;
        }
        if (holdFirstSpan && start == 0 && step >= warmupSteps) {
            return peak;
        }
        return inSpan(step - start, end - start);
    }

    /** The rate at {@code step} (below {@code spanSteps}) of one warmup-then-cosine span of {@code spanSteps}. */
    private double inSpan(int step, int spanSteps) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        double progress = (double) (step - warmupSteps) / (spanSteps - warmupSteps);
        return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
