package io.cogflow.model.sampling;

/**
 * The part both samplers share: the timestep list, the position in it, the reference's previous-timestep rule
 * and the v-prediction → x̂0 conversion.
 *
 * <p>Precision, established against the goldens (bit-identical trajectories): the reference computes every
 * scalar coefficient from the float64 ᾱ table as a 0-d float64 tensor, and PyTorch then rounds that scalar to
 * float32 when it multiplies the float32 latents; each elementwise product and sum is a separately rounded
 * float32 op. So coefficients are computed in double, cast to float once, and the update runs in float
 * arithmetic in the reference's operation order (Java float ops round individually and never fuse). Doing the
 * update in double instead is more accurate but drifts from the reference by ~5e-7 relative over 50 steps.
 */
abstract class Trajectory implements DiffusionSampler {
    protected final NoiseSchedule schedule;
    private final long[] timesteps;
    private final int stride;
    private final int firstStep;
    private int index;
    private int size = -1;

    /** @param firstStep where on the grid this trajectory starts: 0 from pure noise, more from a noised input */
    Trajectory(NoiseSchedule schedule, int steps, int firstStep) {
        this.schedule = schedule;
        this.timesteps = schedule.timesteps(steps);
        this.stride = schedule.stride(steps);
        if (firstStep < 0 || firstStep >= steps) {
            throw new IllegalArgumentException("the first step must be in 0.." + (steps - 1) + " of a " + steps
                    + "-step grid, got " + firstStep);
        }
        this.firstStep = firstStep;
        this.index = firstStep;
    }

    @Override
    public final int steps() {
        return timesteps.length;
    }

    @Override
    public final int stepIndex() {
        return index;
    }

    @Override
    public final boolean done() {
        return index == timesteps.length;
    }

    @Override
    public final long timestep() {
        if (done()) {
            throw new IllegalStateException("sampler is done after " + timesteps.length + " steps");
        }
        return timesteps[index];
    }

    /** Whether no step has been taken yet: the reference has no previous x̂0 then, wherever the grid starts. */
    protected final boolean atFirstStep() {
        return index == firstStep;
    }

    /** The timestep visited before the current one; only valid after the first step. */
    protected final long previousTimestep() {
        return timesteps[index - 1];
    }

    /**
     * The reference steps to t − T // N, not to the next list entry: the two agree only when N divides T
     * (e.g. N = 6 steps 166 apart and ends at t = 0, where the list's spacing is 166 or 167). Kept for parity.
     */
    protected final long targetTimestep() {
        return timestep() - stride;
    }

    @Override
    public final void step(float[] x, float[] v, NoiseSource noise) {
        long t = timestep();
        if (x.length != v.length) {
            throw new IllegalArgumentException("sample has " + x.length + " elements but the model output "
                    + v.length);
        }
        if (size >= 0 && size != x.length) {
            // the samplers keep per-element state (x̂0) from step to step
            throw new IllegalArgumentException("sample size changed from " + size + " to " + x.length
                    + " within one trajectory");
        }
        size = x.length;
        advance(x, v, noise, t, targetTimestep());
        index++;
    }

    /** One update from timestep t to target (which may be negative at the end). */
    protected abstract void advance(float[] x, float[] v, NoiseSource noise, long t, long target);

    /** v-prediction: x̂0 = √ᾱ_t·x − √(1 − ᾱ_t)·v, coefficients rounded to float as the reference does. */
    protected static void predictOriginal(double alphaT, float[] x, float[] v, float[] out) {
        float a = (float) Math.sqrt(alphaT);
        float b = (float) Math.sqrt(1 - alphaT);
        for (int i = 0; i < x.length; i++) {
            out[i] = a * x[i] - b * v[i];
        }
    }

    @Override
    public abstract float[] predictedOriginal();
}
