package io.cogflow.training;

import io.cogflow.model.tf.SessionOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CogVideoX recipe at demo scale, as one resumable run in a work folder:
 * <ol>
 *   <li>a frozen text encoder (T5 architecture, seeded weights) and the caption tokenizer are written;</li>
 *   <li>stage 1 trains the VAE on clip crops;</li>
 *   <li>training clips are encoded once by the frozen VAE, and {@code scaling_factor} is set to 1/std of their
 *   latents, as the released models' factor was chosen;</li>
 *   <li>stage 2 trains the transformer on those latents with v-prediction, stratified timesteps over simulated
 *   data-parallel ranks, and text dropout.</li>
 * </ol>
 * The result is {@code work/model}, a diffusers-layout folder the normal exporter reads. Every random draw of a
 * step derives from (recipe seed, stage, step), so a run resumed from a checkpoint continues exactly as an
 * uninterrupted one would.
 */
public final class TwoStageTraining {

    /** How a stage ended in this invocation. */
    public record StageResult(String stage, int steps, int total, double finalLoss, double seconds,
                              Map<String, Double> metrics) {
        public boolean complete() {
            return steps >= total;
        }
    }

    /** @param complete false when the step budget ran out first; run again to resume */
    public record Outcome(Path model, boolean complete, List<StageResult> stages, double seconds) {
    }

    private final TrainingRecipe recipe;
    private final WorkFolder work;
    private final SessionOptions options;
    private final PrintStream log;
    private final TrainingProgress progress;
    private final int stepBudget;

    /**
     * @param stepBudget most optimiser steps this invocation may take over both stages (the run checkpoints and
     *                   returns an incomplete outcome when it is spent); Integer.MAX_VALUE for a whole run
     * @param progress   where the stages and the latent encoding report how far they have got
     */
    public TwoStageTraining(TrainingRecipe recipe, Path work, SessionOptions options, PrintStream log,
                            TrainingProgress progress, int stepBudget) {
        this.recipe = recipe;
        this.work = new WorkFolder(work);
        this.options = options;
        this.log = log;
        this.progress = progress;
        this.stepBudget = stepBudget;
    }

    public Outcome run() {
        long start = System.nanoTime();
        try {
            Files.createDirectories(work.state());
            RecipeBinding.bind(work, recipe, log);
            FixedComponents.write(work, recipe);
            StageLoop loop = new StageLoop(work, recipe.checkpointEvery(), log, progress, stepBudget);
            List<StageResult> stages = new ArrayList<>();
            StageResult vae = loop.run(VaeStage.spec(recipe), () -> new VaeStage(recipe, options));
            stages.add(vae);
            if (vae.complete()) {
                new LatentCache(recipe, work, options, log, progress).ensure();
                stages.add(loop.run(TransformerStage.spec(recipe),
                        () -> TransformerStage.load(recipe, work, options, log)));
            }
            boolean complete = stages.size() == 2 && stages.get(1).complete();
            Outcome outcome = new Outcome(work.model(), complete, stages, (System.nanoTime() - start) / 1e9);
            TrainingReport.write(work, recipe, outcome);
            return outcome;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
