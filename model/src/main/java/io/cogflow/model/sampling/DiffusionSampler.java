package io.cogflow.model.sampling;

/**
 * One sample's trajectory: the timesteps it visits and the state it keeps between steps. Not thread-safe.
 *
 * <p>A generator holds one sampler per sample, so samples of one batch may be at different steps.
 */
public interface DiffusionSampler {

    static DiffusionSampler create(SamplerKind kind, NoiseSchedule schedule, int steps) {
        return switch (kind) {
            case DDIM -> new DdimSampler(schedule, steps);
            case DPM -> new DpmSolverSampler(schedule, steps);
        };
    }

    int steps();

    /** 0..steps; steps when done. */
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
