package io.cogflow.model.sampling;

/**
 * One sample's trajectory: the timesteps it visits and the state it keeps between steps. Not thread-safe.
 *
 * <p>A generator holds one sampler per sample, so samples of one batch may be at different steps.
 */
public interface DiffusionSampler {

    /** A trajectory over the whole {@code steps}-step grid, from pure noise. */
    static DiffusionSampler create(SamplerKind kind, NoiseSchedule schedule, int steps) {
        return create(kind, schedule, steps, 0);
    }

    /**
     * A trajectory that joins the {@code steps}-step grid at index {@code firstStep} (video-to-video: the input is
     * noised to {@code timesteps(steps)[firstStep]} and only the rest of the grid is walked).
     */
    static DiffusionSampler create(SamplerKind kind, NoiseSchedule schedule, int steps, int firstStep) {
        return switch (kind) {
            case DDIM -> new DdimSampler(schedule, steps, firstStep);
            case DPM -> new DpmSolverSampler(schedule, steps, firstStep);
        };
    }

    /**
     * Where a trajectory of the given strength joins the grid, as diffusers' video-to-video pipelines choose it: it
     * walks the last ⌊steps·strength⌋ steps (strength 1 walks all of them from pure noise, 0.2 the last fifth).
     * A strength too small to walk a single step is refused rather than returning the input unchanged.
     */
    static int firstStep(int steps, double strength) {
        if (!(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be in (0, 1], got " + strength);
        }
        int walked = Math.min((int) (steps * strength), steps);
        if (walked < 1) {
            throw new IllegalArgumentException("strength " + strength + " walks no step of a " + steps
                    + "-step grid: it needs at least 1/" + steps);
        }
        return steps - walked;
    }

    /** The length of the whole grid, also for a trajectory that joined it part-way. */
    int steps();

    /** firstStep..steps; steps when done. */
    int stepIndex();

    boolean done();

    /** The current timestep value (the model is called at it); IllegalStateException when done. */
    long timestep();

    /**
     * Advances one step in place: x ← x_prev given the model's v-prediction at timestep(). Draws standard-normal
     * noise from {@code noise} when the method is stochastic (DPM: one draw of x.length, a second when the
     * second-order update applies — consume in that order). DDIM never draws; {@code noise} may be null there.
     */
    void step(float[] x, float[] v, NoiseSource noise);

    /**
     * The x̂0 (predicted clean sample) of the most recent step, as a copy — for previews and parity checks; null
     * before the first step.
     */
    default float[] predictedOriginal() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not expose x̂0");
    }
}
