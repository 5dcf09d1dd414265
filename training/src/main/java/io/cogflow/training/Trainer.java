package io.cogflow.training;

import java.nio.file.Path;

/**
 * What a training loop needs from any trainer besides its step: the count, checkpoints and the result. Each
 * trainer owns one {@link TrainingSession} (graph, session, optimiser, state).
 */
public abstract class Trainer implements AutoCloseable {
    private final TrainingSession run;

    Trainer(TrainingSession run) {
        this.run = run;
    }

    TrainingSession run() {
        return run;
    }

    /** Optimiser steps taken, including those restored from a checkpoint. */
    public int steps() {
        return run.steps();
    }

    /** Weights and optimiser moments, bit for bit, to {@code file}. */
    public void saveState(Path file) {
        run.save(file);
    }

    /** Restores what {@link #saveState} wrote, taken after {@code steps} steps. */
    public void restoreState(Path file, int steps) {
        run.restore(file, steps);
    }

    /** The trained weights in PyTorch layout under their official names (a diffusers/transformers file). */
    public void writeWeights(Path file) {
        run.writeWeights(file);
    }

    @Override
    public void close() {
        run.close();
    }
}
