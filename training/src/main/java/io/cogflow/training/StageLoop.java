package io.cogflow.training;

import io.cogflow.training.TwoStageTraining.StageResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The loop both stages run: skip a stage finished earlier, resume from its checkpoint, take steps while the stage
 * and the invocation's step budget last (showing a smoothed loss), checkpoint on the recipe's interval, at the end
 * of a phase and when stopping, and move a finished stage's weights into the model folder.
 */
final class StageLoop {
    private static final int FINAL_LOSS_WINDOW = 100;
    /** Weight of the newest step in the loss shown while training (per-step losses jump with the timestep). */
    private static final double SHOWN_LOSS_WEIGHT = 0.05;

    private final WorkFolder work;
    private final int checkpointEvery;
    private final PrintStream log;
    private final TrainingProgress progress;
    /** Steps this invocation may still take, over both stages. */
    private int budget;

    StageLoop(WorkFolder work, int checkpointEvery, PrintStream log, TrainingProgress progress, int stepBudget) {
        this.work = work;
        this.checkpointEvery = checkpointEvery;
        this.log = log;
        this.progress = progress;
        this.budget = stepBudget;
    }

    <T extends Trainer> StageResult run(StageSpec spec, TrainingStage.Preparation<T> preparation) throws IOException {
        StageFiles files = new StageFiles(work, spec.name());
        int total = spec.steps();
        Map<String, Double> done = files.done();
        if (Files.exists(work.weights(spec.name())) && done != null) {
            log.println(spec.title() + ": done earlier, loss " + fmt(done.get("final_loss")));
            return new StageResult(spec.name(), total, total, done.get("final_loss"), 0, done);
        }
        TrainingStage<T> stage = preparation.prepare();
        LearningRateSchedule lr = spec.learningRate();
        long started = System.nanoTime();
        double earlier = files.earlierSeconds();
        List<Double> recent = new ArrayList<>();
        ExponentialMovingAverage shownLoss = new ExponentialMovingAverage(SHOWN_LOSS_WEIGHT);
        int at = files.checkpointedSteps();
        boolean nextPhase = false;
        try (TrainingProgress.Meter meter = progress.open(spec.progressLabel(), "steps", at, total)) {
            while (true) {
                // one trainer per phase: a phase ends in a checkpoint, which the next phase's trainer resumes from
                try (T trainer = stage.createTrainer(at)) {
                    if (files.resume(trainer)) {
                        log.printf(Locale.ROOT, "%s: %s the checkpoint at step %d%n", spec.name(),
                                nextPhase ? "the next phase continues from" : "resumed from", trainer.steps());
                    }
                    int phaseEnd = Math.min(total, stage.phaseEnd(trainer.steps()));
                    while (trainer.steps() < phaseEnd && budget > 0) {
                        int step = trainer.steps();
                        TrainingStage.Step s = stage.step(trainer, step, lr.at(step));
                        budget--;
                        keep(recent, s.loss());
                        meter.set(trainer.steps(), String.format(Locale.ROOT, "loss %.4f (%s)",
                                shownLoss.add(s.loss()), s.detail()));
                        if (trainer.steps() % checkpointEvery == 0 || trainer.steps() == phaseEnd || budget == 0) {
                            files.checkpoint(trainer, earlier, started);
                        }
                    }
                    at = trainer.steps();
                    nextPhase = true;
                    if (at == total || budget == 0) {
                        double seconds = (System.nanoTime() - started) / 1e9;
                        Map<String, Double> metrics = new LinkedHashMap<>();
                        metrics.put("final_loss", mean(recent));
                        stage.addFinalMetrics(metrics);
                        return end(spec, files, trainer, metrics, earlier + seconds, seconds);
                    }
                }
            }
        }
    }

    /**
     * A stage that ran out of budget just reports; a finished one writes its config and weights into the model
     * folder (atomically) and marks itself done with its metrics.
     */
    private StageResult end(StageSpec spec, StageFiles files, Trainer trainer, Map<String, Double> metrics,
                            double totalSeconds, double seconds) throws IOException {
        double finalLoss = metrics.get("final_loss");
        int total = spec.steps();
        if (trainer.steps() < total) {
            return new StageResult(spec.name(), trainer.steps(), total, finalLoss, seconds, metrics);
        }
        Path weights = work.weights(spec.name());
        AtomicFiles.write(work.config(spec.name()), spec.configText());
        AtomicFiles.write(weights, trainer::writeWeights);
        metrics.put("seconds", totalSeconds);
        files.markDone(metrics);
        return new StageResult(spec.name(), total, total, finalLoss, seconds, metrics);
    }

    private static void keep(List<Double> recent, double loss) {
        recent.add(loss);
        if (recent.size() > FINAL_LOSS_WINDOW) {
            recent.remove(0);
        }
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static String fmt(Double d) {
        return d == null ? "?" : String.format(Locale.ROOT, "%.4f", d);
    }
}
