package io.cogflow.training;

import java.util.List;

/**
 * The settings that tell one stage from the other in the shared {@link StageLoop}.
 *
 * @param name          the stage's name in the work folder, which is also its component's folder in the model
 * @param title         how the log names it ("stage 1 (VAE)")
 * @param progressLabel how its progress meter is labelled ("stage 1 vae")
 * @param steps         optimiser steps of the whole stage
 * @param restarts      steps where the learning-rate schedule starts again (the phase starts of a stage whose
 *                      recipe gives each phase its own schedule); empty for one schedule over the stage
 * @param configText    the component's config, written beside its weights when the stage finishes
 */
record StageSpec(String name, String title, String progressLabel, int steps, double peakLearningRate,
                 int warmupSteps, List<Integer> restarts, String configText) {

    StageSpec {
        restarts = List.copyOf(restarts);
    }

    /** Cosine decay to a twentieth of the peak, as in both of the recipe's stages, started again at each restart. */
    LearningRateSchedule learningRate() {
        return new LearningRateSchedule(peakLearningRate, warmupSteps, steps, peakLearningRate / 20)
                .restartingAt(restarts.stream().mapToInt(Integer::intValue).toArray());
    }
}
