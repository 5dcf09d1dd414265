package io.cogflow.training;

import java.io.IOException;
import java.util.Map;

/**
 * One stage's own part of the {@link StageLoop} both stages run through: the trainer it builds and how a step draws
 * its batch. Every random draw of a step derives from (recipe seed, stage, step), so a resumed stage continues
 * exactly as an uninterrupted one would.
 */
interface TrainingStage<T extends Trainer> {

    /** Reads what a stage's steps draw from; called only once the stage is known to have steps left. */
    @FunctionalInterface
    interface Preparation<T extends Trainer> {
        TrainingStage<T> prepare() throws IOException;
    }

    /** @param detail what the progress meter shows beside the smoothed loss ("rec 0.0123 kl 4.56") */
    record Step(double loss, String detail) {
    }

    /**
     * A fresh trainer for the phase that holds step {@code step}; the loop restores a checkpoint into it. A stage
     * whose phases train on different shapes builds one graph per phase.
     */
    T createTrainer(int step);

    /**
     * The first step after {@code step}'s phase, where the loop checkpoints, closes the trainer and continues in a
     * new one from that checkpoint; {@link Integer#MAX_VALUE} for a stage of one phase.
     */
    default int phaseEnd(int step) {
        return Integer.MAX_VALUE;
    }

    /** One optimiser step, the step-th of the stage (counting from 0). */
    Step step(T trainer, int step, double learningRate);

    /** What the stage reports besides its final loss when this invocation's steps are over. */
    default void addFinalMetrics(Map<String, Double> metrics) {
    }
}
