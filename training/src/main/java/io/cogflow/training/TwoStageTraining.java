package io.cogflow.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.checkpoint.SafetensorsWriter;
import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.random.SplitMix64;
import io.cogflow.model.sampling.NoiseSchedule;
import io.cogflow.model.sampling.SchedulerConfig;
import io.cogflow.model.sampling.SeededNoise;
import io.cogflow.model.t5.T5Config;
import io.cogflow.model.t5.T5Parameters;
import io.cogflow.model.t5.T5TextEncoder;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.tokenizer.T5Tokenizer;
import io.cogflow.training.data.ClipDataset;
import io.cogflow.training.data.ClipSpec;
import io.cogflow.model.transformer.TransformerConfig;
import io.cogflow.model.vae.CogVideoXVae;
import io.cogflow.model.vae.VaeConfig;
import io.cogflow.model.vae.VaeOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final long VAE_STREAM = 0x5641455F31L;
    private static final long DIT_STREAM = 0x4449545F32L;
    /** Latent clips are drawn from a range of indices the VAE's crops never used. */
    private static final long LATENT_CLIP_OFFSET = 1L << 40;
    private static final int FINAL_LOSS_WINDOW = 100;
    /** Weight of the newest step in the loss shown while training (per-step losses jump with the timestep). */
    private static final double SHOWN_LOSS_WEIGHT = 0.05;

    private final TrainingRecipe recipe;
    private final Path work;
    private final Path model;
    private final SessionOptions options;
    private final PrintStream log;
    private final TrainingProgress progress;
    private int budget;

    /**
     * @param stepBudget most optimiser steps this invocation may take over both stages (the run checkpoints and
     *                   returns an incomplete outcome when it is spent); Integer.MAX_VALUE for a whole run
     * @param progress   where the stages and the latent encoding report how far they have got
     */
    public TwoStageTraining(TrainingRecipe recipe, Path work, SessionOptions options, PrintStream log,
                            TrainingProgress progress, int stepBudget) {
        this.recipe = recipe;
        this.work = work;
        this.model = work.resolve("model");
        this.options = options;
        this.log = log;
        this.progress = progress;
        this.budget = stepBudget;
    }

    public Outcome run() {
        long start = System.nanoTime();
        try {
            Files.createDirectories(work.resolve("state"));
            checkFingerprint();
            writeFixedComponents();
            List<StageResult> stages = new ArrayList<>();
            StageResult vae = trainVae();
            stages.add(vae);
            if (vae.complete()) {
                finishVae();
                StageResult dit = trainTransformer();
                stages.add(dit);
            }
            boolean complete = stages.size() == 2 && stages.get(1).complete();
            Outcome outcome = new Outcome(model, complete, stages, (System.nanoTime() - start) / 1e9);
            writeReport(outcome);
            return outcome;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- set-up

    /**
     * Binds the work folder to the recipe. Another stage-1 fingerprint is refused; the same stage 1 with other
     * stage-2 settings keeps the VAE and latents and starts stage 2 again.
     */
    private void checkFingerprint() throws IOException {
        Path f = work.resolve("state").resolve("recipe.json");
        if (Files.exists(f)) {
            JsonNode n = JSON.readTree(f.toFile());
            String stageOne = n.path("stage_one_fingerprint").asText();
            if (!stageOne.equals(recipe.stageOneFingerprint())) {
                throw new IllegalArgumentException(work + " holds a run of another recipe (" + n.path("recipe").asText()
                        + ", fingerprint " + stageOne + "); use a new work folder or delete it");
            }
            if (n.path("fingerprint").asText().equals(recipe.fingerprint())) {
                return;
            }
            log.println("stage-2 settings changed: keeping the VAE and latents, training the transformer again");
            for (String name : List.of("transformer.safetensors", "transformer.json", "transformer.done.json")) {
                Files.deleteIfExists(work.resolve("state").resolve(name));
            }
            Files.deleteIfExists(model.resolve("transformer/diffusion_pytorch_model.safetensors"));
            Files.deleteIfExists(model.resolve("text_encoder/model.safetensors")); // its init is a stage-2 setting
            Files.deleteIfExists(model.resolve("transformer/config.json"));
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("recipe", recipe.name());
        n.put("fingerprint", recipe.fingerprint());
        n.put("stage_one_fingerprint", recipe.stageOneFingerprint());
        writeAtomically(f, JSON.writeValueAsBytes(n));
    }

    private void writeFixedComponents() throws IOException {
        write(model.resolve("scheduler/scheduler_config.json"), recipe.schedulerConfig());
        write(model.resolve("text_encoder/config.json"), recipe.textEncoderConfig());
        Path tokenizer = model.resolve("tokenizer/spiece.model");
        if (!Files.exists(tokenizer)) {
            Files.createDirectories(tokenizer.getParent());
            try (InputStream in = ClipDataset.class.getResourceAsStream("captions-spiece.model")) {
                Files.copy(in, tokenizer);
            }
        }
        Path t5 = model.resolve("text_encoder/model.safetensors");
        if (!Files.exists(t5)) {
            // frozen: the encoder keeps its seeded initial weights (docs/training.md explains the choice)
            T5Config config = T5Config.from(ConfigJson.parse(recipe.textEncoderConfig()));
            var init = FrozenTextEncoderInit.of(SplitMix64.mix(recipe.seed() ^ 0x7435L), recipe.textContextScale());
            SafetensorsWriter out = new SafetensorsWriter();
            for (var spec : T5Parameters.specs(config)) {
                out.f32(spec.name(), spec.torchShape(), spec.layout().toTorch(init.apply(spec), spec.torchShape()));
            }
            Path tmp = t5.resolveSibling("model.safetensors.tmp");
            out.write(tmp);
            Files.move(tmp, t5, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    // ---- stage 1

    private StageResult trainVae() throws IOException {
        VaeConfig config = VaeConfig.from(ConfigJson.parse(recipe.vaeConfig()));
        int total = recipe.vaeSteps();
        Path weights = model.resolve("vae/diffusion_pytorch_model.safetensors");
        Map<String, Double> done = readDone("vae");
        if (Files.exists(weights) && done != null) {
            log.println("stage 1 (VAE): done earlier, loss " + fmt(done.get("final_loss")));
            return new StageResult("vae", total, total, done.get("final_loss"), 0, done);
        }
        long[] shape = {recipe.vaeBatch(), 3, recipe.vaeCropFrames(), recipe.vaeCropSize(), recipe.vaeCropSize()};
        ClipBatches clips = new ClipBatches(recipe.frames(), recipe.height(), recipe.width());
        LearningRateSchedule lr = new LearningRateSchedule(recipe.vaeLearningRate(), recipe.vaeWarmup(), total,
                recipe.vaeLearningRate() / 20);
        long started = System.nanoTime();
        try (VaeTrainer trainer = VaeTrainer.create(config, shape, recipe.klWeight(), recipe.seed(),
                AdamW.Hyper.cogVideoX(recipe.weightDecay()), options)) {
            double earlier = readSeconds("vae");
            resume("vae", trainer);
            int noiseSize = Math.toIntExact(Arrays.stream(trainer.noiseShape()).reduce(1, (a, b) -> a * b));
            List<Double> recent = new ArrayList<>();
            VaeTrainer.Losses last = null;
            ExponentialMovingAverage shownLoss = new ExponentialMovingAverage(SHOWN_LOSS_WEIGHT);
            try (TrainingProgress.Meter bar = progress.open("stage 1 vae", "steps", trainer.steps(), total)) {
                while (trainer.steps() < total && budget > 0) {
                    int step = trainer.steps();
                    float[] video = clips.trainingCrops(recipe.seed() ^ VAE_STREAM, step, recipe.vaeBatch(),
                            recipe.vaeCropFrames(), recipe.vaeCropSize());
                    float[] noise = new float[noiseSize];
                    new SeededNoise(SplitMix64.mix(recipe.seed() ^ VAE_STREAM ^ SplitMix64.mix(step))).fill(noise);
                    last = trainer.step(video, noise, lr.at(step));
                    budget--;
                    keep(recent, last.total());
                    bar.set(trainer.steps(), String.format(Locale.ROOT, "loss %.4f (rec %.4f kl %.2f)",
                            shownLoss.add(last.total()), last.reconstruction(), last.kl()));
                    if (trainer.steps() % recipe.checkpointEvery() == 0 || trainer.steps() == total || budget == 0) {
                        checkpoint("vae", trainer, earlier, started);
                    }
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double finalLoss = mean(recent);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("final_loss", finalLoss);
            if (last != null) {
                metrics.put("final_reconstruction", last.reconstruction());
                metrics.put("final_kl", last.kl());
            }
            return endStage("vae", trainer, total, recipe.vaeConfig(), weights, metrics, earlier + seconds,
                    seconds);
        }
    }

    /** Encodes the latent clips once with the frozen VAE, sets scaling_factor and measures reconstruction. */
    private void finishVae() throws IOException {
        Path cache = work.resolve("latents.safetensors");
        if (Files.exists(cache)) {
            return;
        }
        long started = System.nanoTime();
        ClipBatches clips = new ClipBatches(recipe.frames(), recipe.height(), recipe.width());
        ClipDataset dataset = ClipDataset.standard();
        int n = recipe.latentClips();
        List<float[]> means = new ArrayList<>();
        long[] latentShape = null;
        double psnrSum = 0;
        int psnrCount = 0;
        try (CogVideoXVae vae = CogVideoXVae.load(model, new VaeOptions(options, null, false));
             TrainingProgress.Meter bar = progress.open("encoding latents", "clips", 0, n)) {
            for (int from = 0; from < n; from += recipe.encodeBatch()) {
                int b = Math.min(recipe.encodeBatch(), n - from);
                ClipSpec[] specs = new ClipSpec[b];
                for (int i = 0; i < b; i++) {
                    specs[i] = dataset.trainingClip(LATENT_CLIP_OFFSET + from + i);
                }
                HostTensor video = new HostTensor(new long[]{b, 3, recipe.frames(), recipe.height(), recipe.width()},
                        clips.whole(specs));
                HostTensor mean = vae.encode(video).mode();
                latentShape = mean.shape();
                int per = mean.data().length / b;
                for (int i = 0; i < b; i++) {
                    means.add(Arrays.copyOfRange(mean.data(), i * per, (i + 1) * per));
                }
                if (from == 0) {
                    // reconstruction quality of the first batch, through the inference path (chunked decode)
                    HostTensor decoded = vae.decode(mean);
                    double mse = 0;
                    for (int i = 0; i < decoded.data().length; i++) {
                        double d = Math.max(-1, Math.min(1, decoded.data()[i])) - video.data()[i];
                        mse += d * d;
                    }
                    mse /= decoded.data().length;
                    psnrSum += 10 * Math.log10(4 / mse); // pixel range [−1, 1] has peak-to-peak 2
                    psnrCount++;
                }
                bar.set(from + b, "");
            }
        }
        long[] one = latentShape.clone();
        one[0] = 1;
        int c = (int) one[1];
        int f = (int) one[2];
        int hw = (int) (one[3] * one[4]);
        double sum = 0;
        double sq = 0;
        long count = 0;
        for (float[] m : means) {
            for (float v : m) {
                sum += v;
                sq += (double) v * v;
                count++;
            }
        }
        double std = Math.sqrt(sq / count - (sum / count) * (sum / count));
        double scaling = 1 / std;
        // latents for the transformer: scaled and frames first, [N, F, C, h, w]
        float[] all = new float[means.size() * c * f * hw];
        for (int i = 0; i < means.size(); i++) {
            float[] m = means.get(i);
            for (int ch = 0; ch < c; ch++) {
                for (int t = 0; t < f; t++) {
                    for (int p = 0; p < hw; p++) {
                        all[((i * f + t) * c + ch) * hw + p] = (float) (m[(ch * f + t) * hw + p] * scaling);
                    }
                }
            }
        }
        ObjectNode vaeConfig = (ObjectNode) JSON.readTree(recipe.vaeConfig());
        vaeConfig.put("scaling_factor", scaling);
        writeAtomically(model.resolve("vae/config.json"), JSON.writeValueAsBytes(vaeConfig));
        Map<String, Double> done = readDone("vae");
        done.put("scaling_factor", scaling);
        done.put("reconstruction_psnr_db", psnrSum / psnrCount);
        done.put("encode_seconds", (System.nanoTime() - started) / 1e9);
        markDone("vae", done);
        Path tmp = cache.resolveSibling("latents.tmp");
        new SafetensorsWriter().f32("latents", new long[]{means.size(), f, c, one[3], one[4]}, all).write(tmp);
        Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE);
        log.printf(Locale.ROOT, "latents: %d clips, std %.4f -> scaling_factor %.4f; VAE reconstruction %.1f dB%n",
                means.size(), std, scaling, psnrSum / psnrCount);
    }

    // ---- stage 2

    private StageResult trainTransformer() throws IOException {
        TransformerConfig config = TransformerConfig.from(ConfigJson.parse(recipe.transformerConfig()));
        int total = recipe.transformerSteps();
        Path weights = model.resolve("transformer/diffusion_pytorch_model.safetensors");
        Map<String, Double> done = readDone("transformer");
        if (Files.exists(weights) && done != null) {
            log.println("stage 2 (transformer): done earlier, loss " + fmt(done.get("final_loss")));
            return new StageResult("transformer", total, total, done.get("final_loss"), 0, done);
        }
        float[] latents;
        long[] shape;
        try (Checkpoint ckpt = Checkpoint.open(work.resolve("latents.safetensors"))) {
            latents = ckpt.readFloats("latents");
            shape = ckpt.info("latents").shape();
        }
        int clips = (int) shape[0];
        int per = latents.length / clips;
        int textLen = config.maxTextSeqLength();
        TextTable text = textTable(config, clips);
        SchedulerConfig scheduler = SchedulerConfig.from(ConfigJson.parse(recipe.schedulerConfig()));
        NoiseSchedule schedule = NoiseSchedule.of(scheduler);
        int batch = recipe.transformerBatch();
        LearningRateSchedule lr = new LearningRateSchedule(recipe.transformerLearningRate(),
                recipe.transformerWarmup(), total, recipe.transformerLearningRate() / 20);
        long started = System.nanoTime();
        try (TransformerTrainer trainer = TransformerTrainer.create(config, batch, (int) shape[1], (int) shape[3],
                (int) shape[4], textLen, recipe.seed() ^ DIT_STREAM, schedule,
                AdamW.Hyper.cogVideoX(recipe.weightDecay()), options)) {
            double earlier = readSeconds("transformer");
            resume("transformer", trainer);
            List<Double> recent = new ArrayList<>();
            int ranks = recipe.ranks();
            ExponentialMovingAverage shownLoss = new ExponentialMovingAverage(SHOWN_LOSS_WEIGHT);
            try (TrainingProgress.Meter bar = progress.open("stage 2 dit", "steps", trainer.steps(), total)) {
                while (trainer.steps() < total && budget > 0) {
                    int step = trainer.steps();
                    long stepSeed = SplitMix64.mix(recipe.seed() ^ DIT_STREAM ^ SplitMix64.mix(step));
                    SplitMix64 pick = new SplitMix64(stepSeed);
                    float[] x0 = new float[batch * per];
                    float[] textBatch = new float[batch * text.perCaption];
                    boolean[] dropped = new TextDropout(recipe.textDropout(), stepSeed ^ 0x55L).drop(batch);
                    for (int b = 0; b < batch; b++) {
                        int clip = pick.nextInt(clips);
                        System.arraycopy(latents, clip * per, x0, b * per, per);
                        float[] t = dropped[b] ? text.unconditional : text.captions[clip];
                        System.arraycopy(t, 0, textBatch, b * text.perCaption, text.perCaption);
                    }
                    // the batch is split into `ranks` micro-batches, each drawing from its own timestep interval
                    long[] timesteps = new long[batch];
                    int micro = batch / ranks;
                    for (int r = 0; r < ranks; r++) {
                        long[] ts = new TimestepSampler(schedule.trainTimesteps(), ranks, r, stepSeed).next(micro);
                        System.arraycopy(ts, 0, timesteps, r * micro, micro);
                    }
                    float[] eps = new float[x0.length];
                    new SeededNoise(stepSeed ^ 0xE95L).fill(eps);
                    double loss = trainer.step(x0, textBatch, timesteps, eps, lr.at(step));
                    budget--;
                    keep(recent, loss);
                    bar.set(trainer.steps(), String.format(Locale.ROOT, "loss %.4f (|g| %.2f)", shownLoss.add(loss),
                            trainer.lastGlobalNorm()));
                    if (trainer.steps() % recipe.checkpointEvery() == 0 || trainer.steps() == total || budget == 0) {
                        checkpoint("transformer", trainer, earlier, started);
                    }
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double finalLoss = mean(recent);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("final_loss", finalLoss);
            return endStage("transformer", trainer, total, recipe.transformerConfig(), weights, metrics,
                    earlier + seconds, seconds);
        }
    }

    /**
     * A stage that ran out of budget just reports; a finished one writes its config and weights into the model
     * folder (atomically) and marks itself done with its metrics.
     */
    private StageResult endStage(String stage, Trainer trainer, int total, String configText, Path weights,
                                 Map<String, Double> metrics, double totalSeconds, double seconds) throws IOException {
        double finalLoss = metrics.get("final_loss");
        if (trainer.steps() < total) {
            return new StageResult(stage, trainer.steps(), total, finalLoss, seconds, metrics);
        }
        write(weights.resolveSibling("config.json"), configText);
        Path tmp = weights.resolveSibling("weights.tmp");
        trainer.writeWeights(tmp);
        Files.move(tmp, weights, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        metrics.put("seconds", totalSeconds);
        markDone(stage, metrics);
        return new StageResult(stage, total, total, finalLoss, seconds, metrics);
    }

    private record TextTable(float[][] captions, float[] unconditional, int perCaption) {
    }

    /** The frozen encoder's output for every latent clip's caption (computed once per distinct caption). */
    private TextTable textTable(TransformerConfig config, int clips) {
        int len = config.maxTextSeqLength();
        T5Tokenizer tokenizer = T5Tokenizer.load(model.resolve("tokenizer"));
        ClipDataset dataset = ClipDataset.standard();
        Map<String, float[]> byCaption = new HashMap<>();
        float[][] out = new float[clips][];
        float[] unconditional;
        try (T5TextEncoder encoder = T5TextEncoder.load(model.resolve("text_encoder"), options)) {
            if (encoder.config().dModel() != config.textEmbedDim()) {
                throw new IllegalArgumentException("text encoder d_model " + encoder.config().dModel()
                        + " differs from the transformer's text_embed_dim " + config.textEmbedDim());
            }
            for (int i = 0; i < clips; i++) {
                String caption = dataset.trainingClip(LATENT_CLIP_OFFSET + i).caption();
                out[i] = byCaption.computeIfAbsent(caption, c -> encoder.encode(new long[][]{tokenizer.encode(c, len)})
                        .data());
            }
            float[] empty = encoder.encode(new long[][]{tokenizer.encode("", len)}).data();
            unconditional = recipe.unconditionalText() == TrainingRecipe.UnconditionalText.ZEROS
                    ? new float[empty.length] : empty;
        }
        log.printf(Locale.ROOT, "text: %d distinct captions encoded by the frozen text encoder%n", byCaption.size());
        return new TextTable(out, unconditional, unconditional.length);
    }

    // ---- checkpoints and bookkeeping

    private void resume(String stage, Trainer trainer) throws IOException {
        Path meta = work.resolve("state").resolve(stage + ".json");
        if (!Files.exists(meta)) {
            return;
        }
        JsonNode n = JSON.readTree(meta.toFile());
        int steps = n.path("steps").asInt();
        trainer.restoreState(work.resolve("state").resolve(stage + ".safetensors"), steps);
        log.printf(Locale.ROOT, "%s: resumed from the checkpoint at step %d%n", stage, steps);
    }

    private void checkpoint(String stage, Trainer trainer, double earlierSeconds, long started) throws IOException {
        Path state = work.resolve("state").resolve(stage + ".safetensors");
        Path tmp = state.resolveSibling(stage + ".safetensors.tmp");
        trainer.saveState(tmp);
        Files.move(tmp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        ObjectNode n = JSON.createObjectNode();
        n.put("steps", trainer.steps());
        n.put("seconds", earlierSeconds + (System.nanoTime() - started) / 1e9);
        writeAtomically(state.resolveSibling(stage + ".json"), JSON.writeValueAsBytes(n));
    }

    private Map<String, Double> readDone(String stage) throws IOException {
        Path f = work.resolve("state").resolve(stage + ".done.json");
        if (!Files.exists(f)) {
            return null;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        JSON.readTree(f.toFile()).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
        return out;
    }

    /** Training seconds of earlier invocations, as the last checkpoint recorded them. */
    private double readSeconds(String stage) throws IOException {
        Path meta = work.resolve("state").resolve(stage + ".json");
        return Files.exists(meta) ? JSON.readTree(meta.toFile()).path("seconds").asDouble() : 0;
    }

    private void markDone(String stage, Map<String, Double> metrics) throws IOException {
        writeAtomically(work.resolve("state").resolve(stage + ".done.json"), JSON.writeValueAsBytes(metrics));
    }

    private void writeReport(Outcome outcome) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("recipe", recipe.name());
        n.put("fingerprint", recipe.fingerprint());
        n.put("complete", outcome.complete());
        n.put("seconds_this_invocation", outcome.seconds());
        for (StageResult s : outcome.stages()) {
            ObjectNode st = n.putObject(s.stage());
            st.put("steps", s.steps());
            st.put("total", s.total());
            s.metrics().forEach(st::put);
        }
        writeAtomically(work.resolve("report.json"), JSON.writeValueAsBytes(n));
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

    private static void write(Path file, String text) throws IOException {
        writeAtomically(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
