package io.cogflow.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cogflow.model.export.ExportOptions;
import io.cogflow.model.export.ModelExporter;
import io.cogflow.model.pipeline.GeneratedVideo;
import io.cogflow.model.pipeline.GenerationInput;
import io.cogflow.model.pipeline.ProgressListener;
import io.cogflow.model.pipeline.VideoGenerator;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.tf.SessionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI smoke run of the whole training path with the {@code smoke} recipe: stage 1, latent encoding, stage 2,
 * interrupted by a step budget and resumed, then exported and sampled like any other model.
 */
class TwoStageTrainingTest {

    @Test
    void smokeRecipeTrainsResumesExportsAndGenerates(@TempDir Path dir) throws Exception {
        TrainingRecipe recipe = TrainingRecipe.load("smoke");
        Path work = dir.resolve("work");
        int firstBudget = recipe.vaeSteps() + 3;

        ByteArrayOutputStream log1 = new ByteArrayOutputStream();
        PrintStream firstLog = new PrintStream(log1, true, StandardCharsets.UTF_8);
        TwoStageTraining.Outcome partial = new TwoStageTraining(recipe, work, SessionOptions.defaults(), firstLog,
                progressLines(firstLog), firstBudget).run();
        assertThat(log1.toString(StandardCharsets.UTF_8))
                .contains("stage 1 vae " + recipe.vaeSteps() + "/" + recipe.vaeSteps() + " steps, loss ")
                .contains("encoding latents " + recipe.latentClips() + "/" + recipe.latentClips() + " clips")
                .contains("stage 2 dit 3/" + recipe.transformerSteps() + " steps, loss ");
        assertThat(partial.complete()).isFalse();
        assertThat(partial.stages()).hasSize(2);
        assertThat(partial.stages().get(0).complete()).isTrue();
        assertThat(partial.stages().get(1).steps()).isEqualTo(3);
        assertThat(work.resolve("model/vae/diffusion_pytorch_model.safetensors")).exists();
        assertThat(work.resolve("model/transformer")).doesNotExist();

        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        PrintStream secondLog = new PrintStream(log2, true, StandardCharsets.UTF_8);
        TwoStageTraining.Outcome done = new TwoStageTraining(recipe, work, SessionOptions.defaults(), secondLog,
                progressLines(secondLog), Integer.MAX_VALUE).run();
        String second = log2.toString(StandardCharsets.UTF_8);
        System.out.println(second);
        assertThat(done.complete()).isTrue();
        assertThat(second).contains("stage 1 (VAE): done earlier").contains("resumed from the checkpoint at step 3");
        assertThat(done.stages().get(1).steps()).isEqualTo(recipe.transformerSteps());
        assertThat(done.stages().get(1).finalLoss()).isFinite().isPositive();

        JsonNode report = new ObjectMapper().readTree(work.resolve("report.json").toFile());
        assertThat(report.path("complete").asBoolean()).isTrue();
        double scaling = new ObjectMapper().readTree(work.resolve("model/vae/config.json").toFile())
                .path("scaling_factor").asDouble();
        assertThat(scaling).isPositive().isNotEqualTo(1.0);

        // a different recipe must not resume this work folder
        TrainingRecipe demo = TrainingRecipe.load("demo");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TwoStageTraining(demo, work,
                        SessionOptions.defaults(), new PrintStream(new ByteArrayOutputStream()), TrainingProgress.NONE,
                        1).run())
                .hasMessageContaining("another recipe");

        // other stage-2 settings on the same stage 1: the VAE and latents are kept, the transformer starts again
        Path tuned = dir.resolve("smoke-tuned");
        Files.createDirectories(tuned);
        for (String f : TrainingRecipe.FILES) {
            try (var in = TrainingRecipe.class.getResourceAsStream("recipes/smoke/" + f)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                Files.writeString(tuned.resolve(f), f.equals("recipe.json")
                        ? text.replace("\"transformer_steps\": 12", "\"transformer_steps\": 6") : text);
            }
        }
        ByteArrayOutputStream log3 = new ByteArrayOutputStream();
        TwoStageTraining.Outcome retuned = new TwoStageTraining(TrainingRecipe.load(tuned.toString()), work,
                SessionOptions.defaults(), new PrintStream(log3, true, StandardCharsets.UTF_8),
                TrainingProgress.NONE, Integer.MAX_VALUE).run();
        assertThat(log3.toString(StandardCharsets.UTF_8)).contains("stage-2 settings changed")
                .contains("stage 1 (VAE): done earlier").doesNotContain("resumed from the checkpoint");
        assertThat(retuned.complete()).isTrue();
        assertThat(retuned.stages().get(1).steps()).isEqualTo(6);

        VideoSize size = new VideoSize(recipe.width(), recipe.height(), recipe.frames());
        Path exported = dir.resolve("exported");
        ModelExporter.Result export = ModelExporter.export(done.model(), exported, new ExportOptions("float32",
                List.of(size), io.cogflow.model.transformer.AttentionBudget.DEFAULT, recipe.modelName()));
        // named after the recipe, as cogflow train --export names it, not after the work folder's model/
        assertThat(export.manifest().source()).isEqualTo("cogflow-smoke");
        try (VideoGenerator g = VideoGenerator.load(exported, SessionOptions.defaults())) {
            GeneratedVideo v = g.generate(List.of(new GenerationInput("smoke", "a red circle moving left on a "
                    + "black background", "", size, 4, 6.0, false, 1, null)), ProgressListener.NONE).get(0);
            assertThat(v.frames().frames()).isEqualTo(recipe.frames());
            assertThat(v.frames().width()).isEqualTo(recipe.width());
        }
        assertThat(Files.size(exported.resolve("saved_model.pb"))).isPositive();
    }

    /** Every progress update as a plain line on the log, so the test sees what training reports. */
    static TrainingProgress progressLines(PrintStream log) {
        return (label, unit, from, total) -> new TrainingProgress.Meter() {
            @Override
            public void set(long done, String detail) {
                log.println(label + " " + done + "/" + total + " " + unit + (detail.isEmpty() ? "" : ", " + detail));
            }

            @Override
            public void close() {
            }
        };
    }
}
