package io.cogflow.training;

import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.random.SplitMix64;
import io.cogflow.model.sampling.SeededNoise;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.vae.VaeConfig;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** Stage 1: the VAE learns to reconstruct random crops of generated clips. */
final class VaeStage implements TrainingStage<VaeTrainer> {
    static final String NAME = "vae";
    private static final long STREAM = 0x5641455F31L;

    private final TrainingRecipe recipe;
    private final SessionOptions options;
    private final ClipBatches clips;
    private VaeTrainer.Losses last;

    VaeStage(TrainingRecipe recipe, SessionOptions options) {
        this.recipe = recipe;
        this.options = options;
        this.clips = new ClipBatches(recipe.dataset(), recipe.frames(), recipe.height(), recipe.width());
    }

    static StageSpec spec(TrainingRecipe recipe) {
        return new StageSpec(NAME, "stage 1 (VAE)", "stage 1 vae", recipe.vaeSteps(), recipe.vaeRateSchedule(),
                recipe.vaeConfig());
    }

    @Override
    public VaeTrainer createTrainer(int step) {
        VaeConfig config = VaeConfig.from(ConfigJson.parse(recipe.vaeConfig()));
        long[] shape = {recipe.vaeBatch(), 3, recipe.vaeCropFrames(), recipe.vaeCropSize(), recipe.vaeCropSize()};
        return VaeTrainer.create(config, shape, recipe.klWeight(), recipe.vaeEdgeWeight(), recipe.seed(),
                AdamW.Hyper.cogVideoX(recipe.weightDecay()), options);
    }

    @Override
    public Step step(VaeTrainer trainer, int step, double learningRate) {
        float[] video = clips.trainingCrops(recipe.seed() ^ STREAM, step, recipe.vaeBatch(), recipe.vaeCropFrames(),
                recipe.vaeCropSize());
        float[] noise = new float[Math.toIntExact(Arrays.stream(trainer.noiseShape()).reduce(1, (a, b) -> a * b))];
        new SeededNoise(SplitMix64.mix(recipe.seed() ^ STREAM ^ SplitMix64.mix(step))).fill(noise);
        last = trainer.step(video, noise, learningRate);
        return new Step(last.total(), String.format(Locale.ROOT, "rec %.4f kl %.2f", last.reconstruction(),
                last.kl()));
    }

    @Override
    public void addFinalMetrics(Map<String, Double> metrics) {
        if (last != null) {
            metrics.put("final_reconstruction", last.reconstruction());
            metrics.put("final_kl", last.kl());
        }
    }
}
