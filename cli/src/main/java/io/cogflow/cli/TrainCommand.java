package io.cogflow.cli;

import io.cogflow.cli.console.ProgressLine;
import io.cogflow.cli.console.StandardStream;
import io.cogflow.model.export.ComputePrecision;
import io.cogflow.model.export.ExportOptions;
import io.cogflow.model.export.ModelExporter;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.training.TrainingProgress;
import io.cogflow.training.TrainingRecipe;
import io.cogflow.training.TwoStageTraining;
import io.cogflow.model.transformer.AttentionBudget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code cogflow train}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a small CogVideoX on generated clips of coloured shapes: stage 1 the 3D causal VAE, "
                + "stage 2 the transformer on the frozen VAE's latents (frozen T5-architecture text encoder). "
                + "Checkpoints go to the work folder; running the same command again resumes. With --export the "
                + "result is exported as a SavedModel (cogflow export)."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--recipe", defaultValue = "demo",
            description = "demo (the shipped model), smoke (minutes, for CI), or a folder with recipe.json, vae.json, "
                    + "transformer.json, text_encoder.json and scheduler.json (default demo).")
    String recipe;

    @Option(names = "--work", defaultValue = "target/training",
            description = "Work folder: checkpoints, cached latents, the diffusers model, report.json "
                    + "(default target/training).")
    Path work;

    @Option(names = "--export", description = "Export the trained model to this folder (replaced if it holds an "
            + "earlier export).")
    Path export;

    @Option(names = "--export-compute", defaultValue = "float32", description = "The precision the --export graph "
            + "computes in: float32 or bfloat16, as cogflow export --compute (the shipped demo model is bfloat16).")
    String exportCompute;

    @Option(names = "--max-steps", description = "Stop after this many optimiser steps in this invocation "
            + "(checkpointed; run again to continue).")
    Integer maxSteps;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        TrainingRecipe r = TrainingRecipe.load(recipe);
        // checked before hours of training, not after
        ComputePrecision precision = ComputePrecision.parse(exportCompute);
        out.printf(Locale.ROOT, "recipe      %s (%s), work folder %s%n", r.name(), r.fingerprint(), work);
        out.printf(Locale.ROOT, "runtime     %s%n", runtime.describe());
        out.flush();
        PrintStream log = new PrintStream(System.out, true);
        TwoStageTraining.Outcome o = new TwoStageTraining(r, work, runtime.session(), log,
                progressLines(log, StandardStream.STDOUT.isTerminal()),
                maxSteps == null ? Integer.MAX_VALUE : maxSteps).run();
        for (TwoStageTraining.StageResult s : o.stages()) {
            out.printf(Locale.ROOT, "%-11s %d/%d steps, final loss %.4f%s%n", s.stage(), s.steps(), s.total(),
                    s.finalLoss(), s.metrics().isEmpty() ? "" : " " + s.metrics());
        }
        out.printf(Locale.ROOT, "wall time   %.1f s this invocation%n", o.seconds());
        if (!o.complete()) {
            out.println("incomplete  step budget spent; run the same command again to resume");
            out.flush();
            return 0;
        }
        out.printf(Locale.ROOT, "model       %s (diffusers layout)%n", o.model());
        if (export != null) {
            clearEarlierExport(export);
            // weights stored in the compute type, as cogflow export does without --dtype
            ModelExporter.Result e = ModelExporter.export(o.model(), export, new ExportOptions(precision.id(),
                    List.of(new VideoSize(r.width(), r.height(), r.frames())), AttentionBudget.DEFAULT,
                    r.modelName(), precision));
            long bytes = e.manifest().files().keySet().stream().mapToLong(f -> export.resolve(f).toFile().length())
                    .sum();
            out.printf(Locale.ROOT, "exported    %s (%s): %,d parameters, %,d bytes%n", export, e.manifest().source(),
                    e.parameters(), bytes);
        }
        out.flush();
        return 0;
    }

    /**
     * Training's progress as {@link ProgressLine}s on the log, redrawn in place when it is a terminal; the log's own
     * flushing keeps them in order with the other log lines.
     */
    private static TrainingProgress progressLines(PrintStream log, boolean terminal) {
        return (label, unit, from, total) -> {
            ProgressLine line = new ProgressLine(new PrintWriter(log), terminal, label, unit, from, total);
            return new TrainingProgress.Meter() {
                @Override
                public void set(long done, String detail) {
                    line.update(done, detail);
                }

                @Override
                public void close() {
                    line.close();
                }
            };
        };
    }

    /** Replaces an earlier export, but never deletes a folder that is not one. */
    private static void clearEarlierExport(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                return;
            }
        }
        if (!Files.isRegularFile(dir.resolve(ModelManifest.FILE))) {
            throw new IllegalArgumentException(dir + " is not empty and holds no earlier export ("
                    + ModelManifest.FILE + "); choose another --export folder");
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
