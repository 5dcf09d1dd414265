package io.cogflow.training;

/**
 * The settings that tell one stage from the other in the shared {@link StageLoop}.
 *
 * @param name          the stage's name in the work folder, which is also its component's folder in the model
 * @param title         how the log names it ("stage 1 (VAE)")
 * @param progressLabel how its progress meter is labelled ("stage 1 vae")
 * @param steps         optimiser steps of the whole stage
 * @param learningRate  the optimiser's rate at each step, as the recipe asks for this stage
 * @param configText    the component's config, written beside its weights when the stage finishes
 */
record StageSpec(String name, String title, String progressLabel, int steps, LearningRateSchedule learningRate,
                 String configText) {
}
