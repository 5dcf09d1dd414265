package io.cogflow.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.vae.CogVideoXVae;
import io.cogflow.model.vae.VaeOptions;
import io.cogflow.training.data.ClipDataset;
import io.cogflow.training.data.ObjectSizes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code "latent_scaling": "per_channel"} on the smoke recipe, through stage 1 and the latent cache: every channel
 * of the cached latents has std 1, {@code scaling_factor} is 1, and the VAE in the model folder is the folded one —
 * it encodes a latent clip to exactly what the cache holds. The recipe also draws {@code "objects": "large"}, so the
 * same check shows that the cache encodes the recipe's dataset and not the standard one.
 */
class PerChannelLatentScalingTest {

    @Test
    void latentsOfEveryChannelHaveUnitSpreadAndTheFoldedVaeEncodesThem(@TempDir Path dir) throws Exception {
        Path recipeDir = SmokeRecipeFiles.with(dir.resolve("recipe"),
                "\"latent_scaling\": \"per_channel\", \"objects\": \"large\",");
        TrainingRecipe recipe = TrainingRecipe.load(recipeDir.toString());
        TrainingRecipe global = TrainingRecipe.load("smoke");
        assertThat(recipe.latentScaling()).isEqualTo(TrainingRecipe.LatentScaling.PER_CHANNEL);
        assertThat(recipe.stageOneFingerprint()).isNotEqualTo(global.stageOneFingerprint());

        Path work = dir.resolve("work");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new TwoStageTraining(recipe, work, SessionOptions.defaults(), new PrintStream(log, true,
                StandardCharsets.UTF_8), TrainingProgress.NONE, recipe.vaeSteps() + 1).run();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("each folded into the VAE to 1");

        double scaling = new ObjectMapper().readTree(work.resolve("model/vae/config.json").toFile())
                .path("scaling_factor").asDouble();
        assertThat(scaling).isEqualTo(1.0);
        LatentCache.Latents latents = LatentCache.read(new WorkFolder(work));
        int channels = (int) latents.shape()[2];
        int frames = (int) latents.shape()[1];
        int hw = (int) (latents.shape()[3] * latents.shape()[4]);
        double[] sum = new double[channels];
        double[] sq = new double[channels];
        for (int i = 0; i < latents.data().length; i++) {
            int c = (i / hw) % channels;
            sum[c] += latents.data()[i];
            sq[c] += (double) latents.data()[i] * latents.data()[i];
        }
        long n = (long) latents.clips() * frames * hw;
        for (int c = 0; c < channels; c++) {
            double mean = sum[c] / n;
            assertThat(Math.sqrt(sq[c] / n - mean * mean)).as("std of channel " + c).isCloseTo(1.0, within(1e-3));
        }

        // the model folder's VAE is the folded one: it encodes latent clip 0 of the recipe's (large-object) dataset
        // to the cached latents ([F, C, h, w]); the standard dataset's clip 0 is another clip
        long[] shape = {1, 3, recipe.frames(), recipe.height(), recipe.width()};
        assertThat(recipe.dataset()).isSameAs(ClipDataset.of(ObjectSizes.LARGE));
        HostTensor video = new HostTensor(shape, new ClipBatches(recipe.dataset(), recipe.frames(), recipe.height(),
                recipe.width()).whole(LatentCache.clip(recipe.dataset(), 0)));
        HostTensor standardVideo = new HostTensor(shape, new ClipBatches(ClipDataset.standard(), recipe.frames(),
                recipe.height(), recipe.width()).whole(LatentCache.clip(ClipDataset.standard(), 0)));
        try (CogVideoXVae vae = CogVideoXVae.load(work.resolve("model"), VaeOptions.defaults())) {
            float[] standardZ = vae.encode(standardVideo).mode().data();
            double apart = 0;
            for (int i = 0; i < standardZ.length; i++) {
                int c = i / (frames * hw), f = (i / hw) % frames, p = i % hw;
                apart = Math.max(apart, Math.abs(standardZ[i] - latents.data()[(f * channels + c) * hw + p]));
            }
            assertThat(apart).as("the standard clip's latents are not the cached ones").isGreaterThan(0.1);
            float[] z = vae.encode(video).mode().data(); // [C, F, h, w]
            for (int c = 0; c < channels; c++) {
                for (int f = 0; f < frames; f++) {
                    for (int p = 0; p < hw; p++) {
                        assertThat((double) latents.data()[(f * channels + c) * hw + p])
                                .isCloseTo(z[(c * frames + f) * hw + p], within(1e-3));
                    }
                }
            }
        }
        // a work folder of the global recipe is another stage 1
        assertThatThrownBy(() -> new TwoStageTraining(global, work, SessionOptions.defaults(),
                new PrintStream(new ByteArrayOutputStream()), TrainingProgress.NONE, 1).run())
                .hasMessageContaining("another recipe");
    }

    @Test
    void anUnknownScalingIsRefused(@TempDir Path dir) throws Exception {
        Path recipeDir = SmokeRecipeFiles.with(dir, "\"latent_scaling\": \"per_pixel\",");
        assertThatThrownBy(() -> TrainingRecipe.load(recipeDir.toString()))
                .hasMessageContaining("latent_scaling must be 'global' or 'per_channel'");
    }
}
