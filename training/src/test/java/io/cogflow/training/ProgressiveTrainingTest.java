package io.cogflow.training;

import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.tf.SessionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Progressive training: stage 2 of the smoke networks at 64 × 64 with its first 4 of 12 steps on the same clips at
 * 32 × 32, interrupted inside the low-resolution phase, resumed, and carried across the phase change; and with an
 * image phase (each clip's first latent frame) before both.
 */
class ProgressiveTrainingTest {
    private static final String PHASES_FIT = "image_steps + low_res_steps must be in [0, transformer_steps)";

    @Test
    void lowResolutionPhaseThenRecipeSizeResumesAcrossTheChange(@TempDir Path dir) throws Exception {
        TrainingRecipe recipe = TrainingRecipe.load(smokeVariant(dir.resolve("progressive"), 64,
                "\"low_res_height\": 32, \"low_res_width\": 32, \"low_res_steps\": 4,").toString());
        Path work = dir.resolve("work");

        ByteArrayOutputStream log1 = new ByteArrayOutputStream();
        TwoStageTraining.Outcome partial = run(recipe, work, log1, recipe.vaeSteps() + 2);
        assertThat(partial.complete()).isFalse();
        assertThat(log1.toString(StandardCharsets.UTF_8))
                .contains("encoding latents 8/8 clips")
                .contains("encoding 32x32 latents 8/8 clips")
                .contains("stage 2 dit 2/12 steps, loss ").contains(", 32x32)");
        try (Checkpoint full = Checkpoint.open(work.resolve("latents.safetensors"));
             Checkpoint low = Checkpoint.open(work.resolve("latents-32x32.safetensors"))) {
            // smoke VAE: 8x in space, 4x in time (9 frames -> 3), 4 channels; frames first for the transformer
            assertThat(full.info("latents").shape()).containsExactly(8, 3, 4, 8, 8);
            assertThat(low.info("latents").shape()).containsExactly(8, 3, 4, 4, 4);
        }
        // the low-resolution latents have the spread the noise schedule assumes, like the recipe-size ones, though
        // the VAE encodes the smaller clips with another spread
        assertThat(spread(LatentCache.read(new WorkFolder(work), recipe.lowResolution()))).isCloseTo(1, within(1e-3));
        assertThat(spread(LatentCache.read(new WorkFolder(work)))).isCloseTo(1, within(1e-3));
        assertThat(log1.toString(StandardCharsets.UTF_8)).containsPattern("latents at 32x32: 8 clips, std [0-9.]+ at "
                + "the recipe-size scaling -> 1;");

        String second = resumeToTheEnd(recipe, work);
        assertThat(second)
                .containsPattern(stepLine(4, "32x32"))
                .contains("transformer: the next phase continues from the checkpoint at step 4")
                .containsPattern(stepLine(5, ""))
                .doesNotContain("encoding");
        assertThat(work.resolve("model/transformer/diffusion_pytorch_model.safetensors")).exists();
    }

    @Test
    void imagePhaseThenLowResolutionThenRecipeSizeWithAWeightAverage(@TempDir Path dir) throws Exception {
        TrainingRecipe recipe = TrainingRecipe.load(smokeVariant(dir.resolve("images"), 64,
                "\"image_steps\": 3, \"low_res_height\": 32, \"low_res_width\": 32, \"low_res_steps\": 3,"
                        + " \"ema_decay\": 0.9,")
                .toString());
        assertThat(recipe.fullSizeStart()).isEqualTo(6);
        Path work = dir.resolve("work");

        ByteArrayOutputStream log1 = new ByteArrayOutputStream();
        assertThat(run(recipe, work, log1, recipe.vaeSteps() + 2).complete()).isFalse();
        assertThat(log1.toString(StandardCharsets.UTF_8)).contains("stage 2 dit 2/12 steps, loss ")
                .contains(", images)");

        String second = resumeToTheEnd(recipe, work);
        assertThat(second)
                .containsPattern(stepLine(3, "images"))
                .contains("transformer: the next phase continues from the checkpoint at step 3")
                .containsPattern(stepLine(6, "32x32"))
                .contains("transformer: the next phase continues from the checkpoint at step 6")
                .containsPattern(stepLine(7, ""));
        assertThat(work.resolve("model/transformer/diffusion_pytorch_model.safetensors")).exists();
    }

    @Test
    void imageStepsAndWeightAverageAreStageTwoSettingsOlderRecipesLeaveOut(@TempDir Path dir) throws IOException {
        // the same folder name in each: a recipe's name is part of its fingerprint
        TrainingRecipe plain = TrainingRecipe.load(smokeVariant(dir.resolve("plain/r"), 32, "").toString());
        TrainingRecipe zero = TrainingRecipe.load(smokeVariant(dir.resolve("zero/r"), 32,
                "\"image_steps\": 0, \"ema_decay\": 0,").toString());
        TrainingRecipe images = TrainingRecipe.load(smokeVariant(dir.resolve("images/r"), 32, "\"image_steps\": 4,")
                .toString());
        assertThat(zero.fingerprint()).isEqualTo(plain.fingerprint());
        assertThat(images.fingerprint()).isNotEqualTo(plain.fingerprint());
        assertThat(images.stageOneFingerprint()).isEqualTo(plain.stageOneFingerprint());
        TrainingRecipe averaged = TrainingRecipe.load(smokeVariant(dir.resolve("averaged/r"), 32,
                "\"ema_decay\": 0.999,").toString());
        assertThat(averaged.fingerprint()).isNotEqualTo(plain.fingerprint());
        assertThat(averaged.stageOneFingerprint()).isEqualTo(plain.stageOneFingerprint());
        assertRefused(dir.resolve("one"), 32, "\"ema_decay\": 1,", "ema_decay must be 0 (off) or in (0, 1)");
        assertRefused(dir.resolve("all-images"), 32, "\"image_steps\": 12,", PHASES_FIT);
        assertRefused(dir.resolve("negative"), 32, "\"image_steps\": -1,", "image_steps must be >= 0");
    }

    /** Smoke's 12 stage-2 steps as three 4-step phases: still images, 16 × 16, the recipe's 32 × 32. */
    private static final String THREE_PHASES =
            "\"image_steps\": 4, \"low_res_height\": 16, \"low_res_width\": 16, \"low_res_steps\": 4,";

    private static TrainingRecipe threePhases(Path folder, String schedule) throws IOException {
        return TrainingRecipe.load(smokeVariant(folder, 32,
                THREE_PHASES + " \"transformer_schedule\": \"" + schedule + "\",").toString());
    }

    @Test
    void perPhaseScheduleStartsTheLearningRateAgainAtEachPhase(@TempDir Path dir) throws IOException {
        TrainingRecipe stage = TrainingRecipe.load(smokeVariant(dir.resolve("stage/r"), 32, THREE_PHASES).toString());
        TrainingRecipe explicit = threePhases(dir.resolve("explicit/r"), "stage");
        TrainingRecipe perPhase = threePhases(dir.resolve("per-phase/r"), "per_phase");
        assertThat(explicit.fingerprint()).isEqualTo(stage.fingerprint());
        assertThat(perPhase.fingerprint()).isNotEqualTo(stage.fingerprint());
        assertThat(perPhase.stageOneFingerprint()).isEqualTo(stage.stageOneFingerprint());
        assertThat(perPhase.phaseStarts()).containsExactly(4, 8);

        // smoke: peak 1e-3, 2 warmup steps, 12 steps; per phase each of the three 4-step phases warms up again
        LearningRateSchedule one = TransformerStage.spec(stage).learningRate();
        LearningRateSchedule each = TransformerStage.spec(perPhase).learningRate();
        for (int phaseStart : new int[]{0, 4, 8}) {
            assertThat(each.at(phaseStart)).isCloseTo(5e-4, within(1e-12));
            assertThat(each.at(phaseStart + 1)).isCloseTo(1e-3, within(1e-12));
        }
        // one schedule leaves the last phase the tail of its decay
        assertThat(one.at(9)).isLessThan(one.at(4)).isLessThan(each.at(9));

        assertRefused(dir.resolve("short"), 32, "\"image_steps\": 2, \"transformer_schedule\": \"per_phase\",",
                "every phase longer than transformer_warmup");
        assertRefused(dir.resolve("unknown"), 32, "\"transformer_schedule\": \"cyclic\",",
                "transformer_schedule must be 'stage', 'per_phase' or 'per_phase_constant_images'");
    }

    @Test
    void constantImagesHoldsThePeakThroughTheImagePhaseAndDecaysEachVideoPhase(@TempDir Path dir)
            throws IOException {
        TrainingRecipe perPhase = threePhases(dir.resolve("per-phase/r"), "per_phase");
        TrainingRecipe constant = threePhases(dir.resolve("constant/r"), "per_phase_constant_images");
        assertThat(constant.fingerprint()).isNotEqualTo(perPhase.fingerprint());
        assertThat(constant.stageOneFingerprint()).isEqualTo(perPhase.stageOneFingerprint());

        // smoke: peak 1e-3, 2 warmup steps; the image phase is steps 0-3, the video phases 4-7 and 8-11
        LearningRateSchedule each = TransformerStage.spec(perPhase).learningRate();
        LearningRateSchedule held = TransformerStage.spec(constant).learningRate();
        assertThat(held.at(0)).isCloseTo(5e-4, within(1e-12));
        for (int s = 1; s < 4; s++) {
            assertThat(held.at(s)).isEqualTo(1e-3);
        }
        assertThat(each.at(3)).isLessThan(1e-3);
        for (int s = 4; s < 14; s++) {
            assertThat(held.at(s)).isEqualTo(each.at(s));
        }

        assertRefused(dir.resolve("no-images"), 32, "\"transformer_schedule\": \"per_phase_constant_images\",",
                "'per_phase_constant_images' needs image_steps");
        assertRefused(dir.resolve("short-images"), 32,
                "\"image_steps\": 2, \"transformer_schedule\": \"per_phase_constant_images\",",
                "every phase longer than transformer_warmup");
    }

    @Test
    void recipeRefusesALowResolutionPhaseItCannotRun(@TempDir Path dir) throws IOException {
        assertRefused(dir.resolve("bigger"), 32,
                "\"low_res_height\": 64, \"low_res_width\": 64, \"low_res_steps\": 4,", "below the clip size");
        assertRefused(dir.resolve("all"), 32,
                "\"low_res_height\": 16, \"low_res_width\": 16, \"low_res_steps\": 12,", PHASES_FIT);
        assertRefused(dir.resolve("no-steps"), 32, "\"low_res_height\": 16, \"low_res_width\": 16,",
                "need low_res_steps");
    }

    private static double spread(LatentCache.Latents latents) {
        double sum = 0;
        double sq = 0;
        for (float v : latents.data()) {
            sum += v;
            sq += (double) v * v;
        }
        int n = latents.data().length;
        return Math.sqrt(sq / n - (sum / n) * (sum / n));
    }

    /** The progress line of stage-2 step {@code step} of 12, in {@code phase} (empty: the recipe size). */
    private static String stepLine(int step, String phase) {
        return "stage 2 dit " + step + "/12 steps, loss [0-9.]+ \\(\\|g\\| [0-9.]+"
                + (phase.isEmpty() ? "" : ", " + phase) + "\\)";
    }

    /** Runs the rest of a run interrupted at stage-2 step 2 and returns its log. */
    private static String resumeToTheEnd(TrainingRecipe recipe, Path work) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TwoStageTraining.Outcome done = run(recipe, work, log, Integer.MAX_VALUE);
        assertThat(done.complete()).isTrue();
        assertThat(done.stages().get(1).steps()).isEqualTo(12);
        assertThat(done.stages().get(1).finalLoss()).isFinite().isPositive();
        String text = log.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("transformer: resumed from the checkpoint at step 2");
        return text;
    }

    private static void assertRefused(Path folder, int size, String settings, String message) {
        assertThatThrownBy(() -> TrainingRecipe.load(smokeVariant(folder, size, settings).toString()))
                .hasMessageContaining(message);
    }

    private static TwoStageTraining.Outcome run(TrainingRecipe recipe, Path work, ByteArrayOutputStream log,
                                                int budget) {
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        return new TwoStageTraining(recipe, work, SessionOptions.defaults(), out,
                TwoStageTrainingTest.progressLines(out), budget).run();
    }

    /** The smoke recipe at {@code size} × {@code size} with the extra recipe.json {@code settings}. */
    private static Path smokeVariant(Path folder, int size, String settings) throws IOException {
        Files.createDirectories(folder);
        for (String f : TrainingRecipe.FILES) {
            try (InputStream in = TrainingRecipe.class.getResourceAsStream("recipes/smoke/" + f)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (f.equals("recipe.json")) {
                    String smokeSize = "\"height\": 32, \"width\": 32,";
                    assertThat(text).contains(smokeSize);
                    text = text.replace(smokeSize, "\"height\": " + size + ", \"width\": " + size + ", " + settings);
                }
                Files.writeString(folder.resolve(f), text);
            }
        }
        return folder;
    }
}
