package io.cogflow.training;

import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.random.SplitMix64;
import io.cogflow.model.sampling.NoiseSchedule;
import io.cogflow.model.sampling.SchedulerConfig;
import io.cogflow.model.sampling.SeededNoise;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.transformer.TransformerConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Stage 2: the transformer learns v-prediction on the cached latents, with stratified timesteps over simulated
 * data-parallel ranks and text dropout. Up to three phases, one graph each, over the same clips and captions: still
 * images (each clip's first latent frame), the low-resolution latents of a progressive recipe, then the recipe-size
 * ones.
 */
final class TransformerStage implements TrainingStage<TransformerTrainer> {
    static final String NAME = "transformer";
    private static final long STREAM = 0x4449545F32L;

    private final TrainingRecipe recipe;
    private final SessionOptions options;
    private final TransformerConfig config;
    private final NoiseSchedule schedule;
    private final LatentCache.Latents latents;
    /** The same clips at the recipe's low resolution; null without a low-resolution phase. */
    private final LatentCache.Latents lowResolution;
    /** Each clip's first latent frame at the recipe's size; null without an image phase. */
    private final LatentCache.Latents images;
    private final CaptionEmbeddings text;

    private TransformerStage(TrainingRecipe recipe, SessionOptions options, TransformerConfig config,
                             LatentCache.Latents latents, LatentCache.Latents lowResolution, CaptionEmbeddings text) {
        this.recipe = recipe;
        this.options = options;
        this.config = config;
        this.schedule = NoiseSchedule.of(SchedulerConfig.from(ConfigJson.parse(recipe.schedulerConfig())));
        this.latents = latents;
        this.lowResolution = lowResolution;
        this.images = recipe.imageSteps() > 0 ? latents.firstFrames() : null;
        this.text = text;
    }

    static StageSpec spec(TrainingRecipe recipe) {
        return new StageSpec(NAME, "stage 2 (transformer)", "stage 2 dit", recipe.transformerSteps(),
                recipe.transformerRateSchedule(), recipe.transformerConfig());
    }

    /** Reads the cached latents and encodes their captions. */
    static TransformerStage load(TrainingRecipe recipe, WorkFolder work, SessionOptions options, PrintStream log)
            throws IOException {
        TransformerConfig config = TransformerConfig.from(ConfigJson.parse(recipe.transformerConfig()));
        LatentCache.Latents latents = LatentCache.read(work);
        LatentCache.Latents low = null;
        if (recipe.lowResolution().used()) {
            low = LatentCache.read(work, recipe.lowResolution());
            if (low.clips() != latents.clips()) {
                throw new IllegalStateException("the low-resolution latents hold " + low.clips()
                        + " clips, the recipe-size ones " + latents.clips() + ": delete the work folder's latents");
            }
        }
        CaptionEmbeddings text = CaptionEmbeddings.encode(recipe, work, config, latents.clips(), options, log);
        return new TransformerStage(recipe, options, config, latents, low, text);
    }

    /** The latents step {@code step} trains on. */
    private LatentCache.Latents latentsAt(int step) {
        if (step < recipe.imageSteps()) {
            return images;
        }
        return step < recipe.fullSizeStart() ? lowResolution : latents;
    }

    @Override
    public int phaseEnd(int step) {
        if (step < recipe.imageSteps()) {
            return recipe.imageSteps();
        }
        return step < recipe.fullSizeStart() ? recipe.fullSizeStart() : Integer.MAX_VALUE;
    }

    @Override
    public TransformerTrainer createTrainer(int step) {
        long[] shape = latentsAt(step).shape();
        return TransformerTrainer.create(config, recipe.transformerBatch(), (int) shape[1], (int) shape[3],
                (int) shape[4], config.maxTextSeqLength(), recipe.seed() ^ STREAM, schedule,
                AdamW.Hyper.cogVideoX(recipe.weightDecay()), options, recipe.emaDecay());
    }

    @Override
    public Step step(TransformerTrainer trainer, int step, double learningRate) {
        int batch = recipe.transformerBatch();
        LatentCache.Latents latents = latentsAt(step);
        int per = latents.perClip();
        int perCaption = text.perCaption();
        long stepSeed = SplitMix64.mix(recipe.seed() ^ STREAM ^ SplitMix64.mix(step));
        SplitMix64 pick = new SplitMix64(stepSeed);
        float[] x0 = new float[batch * per];
        float[] textBatch = new float[batch * perCaption];
        boolean[] dropped = new TextDropout(recipe.textDropout(), stepSeed ^ 0x55L).drop(batch);
        for (int b = 0; b < batch; b++) {
            int clip = pick.nextInt(latents.clips());
            System.arraycopy(latents.data(), clip * per, x0, b * per, per);
            float[] t = dropped[b] ? text.unconditional() : text.captions()[clip];
            System.arraycopy(t, 0, textBatch, b * perCaption, perCaption);
        }
        long[] timesteps = timesteps(batch, stepSeed);
        float[] eps = new float[x0.length];
        new SeededNoise(stepSeed ^ 0xE95L).fill(eps);
        double loss = trainer.step(x0, textBatch, timesteps, eps, learningRate);
        String detail = String.format(Locale.ROOT, "|g| %.2f", trainer.lastGlobalNorm());
        if (latents == images) {
            detail += ", images";
        } else if (latents == lowResolution) {
            detail += ", " + recipe.lowResolution().height() + "x" + recipe.lowResolution().width();
        }
        return new Step(loss, detail);
    }

    /** The batch is split into {@code ranks} micro-batches, each drawing from its own timestep interval. */
    private long[] timesteps(int batch, long stepSeed) {
        int ranks = recipe.ranks();
        long[] timesteps = new long[batch];
        int micro = batch / ranks;
        for (int r = 0; r < ranks; r++) {
            long[] ts = new TimestepSampler(schedule.trainTimesteps(), ranks, r, stepSeed).next(micro);
            System.arraycopy(ts, 0, timesteps, r * micro, micro);
        }
        return timesteps;
    }
}
