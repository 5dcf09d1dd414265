package io.cogflow.training;

import io.cogflow.model.config.ConfigJson;
import io.cogflow.training.data.ClipDataset;
import io.cogflow.training.data.ObjectSizes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a two-stage training run is: hyper-parameters ({@code recipe.json}) and the component configs in
 * their official on-disk formats ({@code vae.json}, {@code transformer.json}, {@code text_encoder.json},
 * {@code scheduler.json}), which the run copies verbatim into the model folder it produces.
 *
 * <p>A recipe is a folder; {@code demo} and {@code smoke} ship as resources. Changing any file changes
 * {@link #fingerprint()}, and a run refuses to resume checkpoints written under another fingerprint.
 */
public record TrainingRecipe(
        String name,
        long seed,
        int frames, int height, int width, ObjectSizes objects,
        int vaeSteps, int vaeBatch, int vaeCropFrames, int vaeCropSize,
        double vaeLearningRate, int vaeWarmup, double klWeight, double vaeEdgeWeight,
        int latentClips, int encodeBatch, LatentScaling latentScaling,
        int transformerSteps, int transformerBatch,
        double transformerLearningRate, int transformerWarmup, double weightDecay, double emaDecay,
        int imageSteps, LowResolution lowResolution, TransformerSchedule transformerSchedule,
        double textDropout, UnconditionalText unconditionalText, double textContextScale, int ranks,
        int checkpointEvery,
        String vaeConfig, String transformerConfig, String textEncoderConfig, String schedulerConfig) {

    /** What a dropped caption becomes: SAT trains with zeroed T5 output, diffusers' pipelines sample with T5(""). */
    public enum UnconditionalText {
        ZEROS, EMPTY_PROMPT;

        static UnconditionalText parse(String s) {
            return switch (s) {
                case "zeros" -> ZEROS;
                case "empty_prompt" -> EMPTY_PROMPT;
                default -> throw new IllegalArgumentException("unconditional_text must be 'zeros' or "
                        + "'empty_prompt', got '" + s + "'");
            };
        }
    }

    /**
     * How the latent clips are brought to the spread the noise schedule assumes. {@code GLOBAL} is CogVideoX's way:
     * one {@code scaling_factor}, 1/std of all latents. {@code PER_CHANNEL} first gives every channel the same
     * spread by scales folded into the VAE's weights ({@link LatentChannelFold}), then sets {@code scaling_factor} so
     * each channel has std 1 (the channel means stay).
     */
    public enum LatentScaling {
        GLOBAL, PER_CHANNEL;

        static LatentScaling parse(String s) {
            return switch (s) {
                case "global" -> GLOBAL;
                case "per_channel" -> PER_CHANNEL;
                default -> throw new IllegalArgumentException("latent_scaling must be 'global' or 'per_channel', got '"
                        + s + "'");
            };
        }
    }

    /**
     * How stage 2's learning rate runs over its phases (still images, low resolution, recipe size). {@code STAGE}:
     * one warmup and one cosine over the whole stage, so a late phase trains only at the tail of the decay (the last
     * 5,000 of 25,000 steps at 14–5 % of the peak). {@code PER_PHASE}: each phase warms up and decays on its own
     * (warm restarts), so the video phases after a long image phase learn motion at the full rate; the weights and
     * AdamW moments still carry over. {@code PER_PHASE_CONSTANT_IMAGES}: as {@code PER_PHASE}, but the image phase
     * stays at the peak after its warmup — the outline on stills came only after about 12,500 steps' worth of the
     * peak rate (docs/training.md), and a decay there spends half the phase below it for nothing, since the videos
     * continue from it.
     */
    public enum TransformerSchedule {
        STAGE, PER_PHASE, PER_PHASE_CONSTANT_IMAGES;

        static TransformerSchedule parse(String s) {
            return switch (s) {
                case "stage" -> STAGE;
                case "per_phase" -> PER_PHASE;
                case "per_phase_constant_images" -> PER_PHASE_CONSTANT_IMAGES;
                default -> throw new IllegalArgumentException("transformer_schedule must be 'stage', 'per_phase' or "
                        + "'per_phase_constant_images', got '" + s + "'");
            };
        }
    }

    /**
     * Progressive training, as CogVideoX trained on low resolution before high: the first {@code steps} of stage 2
     * learn on clips rendered at {@code height × width} (fewer tokens, so faster steps) and the rest at the recipe's
     * size. The transformer's weights do not depend on the token grid (rotary positions over the same base grid, no
     * learned position table), so the same weights and optimiser state carry over. Zero steps: one resolution.
     */
    public record LowResolution(int height, int width, int steps) {
        public static final LowResolution NONE = new LowResolution(0, 0, 0);

        public boolean used() {
            return steps > 0;
        }
    }

    /**
     * The stage-2 step at which training at the recipe's size begins. The phases run in this order: {@code imageSteps}
     * on still images (each latent clip's first latent frame, as CogVideoX mixes images into its video training),
     * then the low-resolution phase, then the rest at the recipe's size.
     */
    public int fullSizeStart() {
        return imageSteps + lowResolution.steps();
    }

    /** The stage-2 steps where a phase after the first begins, ascending (empty for a stage of one phase). */
    public List<Integer> phaseStarts() {
        return phaseStarts(imageSteps, lowResolution);
    }

    private static List<Integer> phaseStarts(int imageSteps, LowResolution lowResolution) {
        List<Integer> starts = new java.util.ArrayList<>();
        if (imageSteps > 0) {
            starts.add(imageSteps);
        }
        if (lowResolution.used()) {
            starts.add(imageSteps + lowResolution.steps());
        }
        return List.copyOf(starts);
    }

    /** Stage 1's learning rate: warmup, then cosine decay to a twentieth of the peak. */
    public LearningRateSchedule vaeRateSchedule() {
        return new LearningRateSchedule(vaeLearningRate, vaeWarmup, vaeSteps, vaeLearningRate / 20);
    }

    /** Stage 2's learning rate, as {@link #transformerSchedule()} lays it over the phases. */
    public LearningRateSchedule transformerRateSchedule() {
        return rateSchedule(transformerLearningRate, transformerWarmup, transformerSteps, transformerSchedule,
                imageSteps, lowResolution);
    }

    private static LearningRateSchedule rateSchedule(double peak, int warmup, int steps, TransformerSchedule how,
                                                     int imageSteps, LowResolution lowResolution) {
        LearningRateSchedule one = new LearningRateSchedule(peak, warmup, steps, peak / 20);
        return switch (how) {
            case STAGE -> one;
            case PER_PHASE -> one.restartingAt(starts(imageSteps, lowResolution));
            case PER_PHASE_CONSTANT_IMAGES -> one.restartingAt(starts(imageSteps, lowResolution)).holdingFirstSpan();
        };
    }

    private static int[] starts(int imageSteps, LowResolution lowResolution) {
        return phaseStarts(imageSteps, lowResolution).stream().mapToInt(Integer::intValue).toArray();
    }

    private static final List<String> BUILT_IN = List.of("demo", "smoke");
    static final String[] FILES = {"recipe.json", "vae.json", "transformer.json", "text_encoder.json",
            "scheduler.json"};

    public TrainingRecipe {
        java.util.Objects.requireNonNull(objects, "objects");
        require(frames > 0 && height > 0 && width > 0, "frames, height and width must be positive");
        require(vaeCropFrames <= frames && vaeCropSize <= Math.min(height, width), "the VAE crop must fit the clip");
        require(vaeSteps > vaeWarmup && transformerSteps > transformerWarmup, "steps must exceed warmup");
        require(ranks >= 1 && transformerBatch % ranks == 0, "transformer_batch must be a multiple of ranks");
        require(textDropout >= 0 && textDropout <= 1, "text_dropout must be in [0, 1]");
        require(textContextScale >= 0, "text_context_scale must be >= 0");
        require(vaeEdgeWeight >= 0, "vae_edge_weight must be >= 0");
        require(latentClips >= 1 && encodeBatch >= 1 && checkpointEvery >= 1, "counts must be positive");
        require(imageSteps >= 0, "image_steps must be >= 0");
        require(emaDecay == 0 || (emaDecay > 0 && emaDecay < 1), "ema_decay must be 0 (off) or in (0, 1)");
        require(lowResolution.steps() >= 0 && imageSteps + lowResolution.steps() < transformerSteps,
                "image_steps + low_res_steps must be in [0, transformer_steps)");
        require(!lowResolution.used() || (lowResolution.height() > 0 && lowResolution.width() > 0
                        && lowResolution.height() <= height && lowResolution.width() <= width
                        && (lowResolution.height() < height || lowResolution.width() < width)),
                "low_res_height and low_res_width must be positive and below the clip size");
        require(lowResolution.used() || (lowResolution.height() == 0 && lowResolution.width() == 0),
                "low_res_height and low_res_width need low_res_steps");
        java.util.Objects.requireNonNull(transformerSchedule, "transformerSchedule");
        require(transformerSchedule != TransformerSchedule.PER_PHASE_CONSTANT_IMAGES || imageSteps > 0,
                "transformer_schedule 'per_phase_constant_images' needs image_steps");
        if (transformerSchedule != TransformerSchedule.STAGE) {
            // the schedule itself knows which restarts it can run; the fields are not set yet in this constructor
            try {
                rateSchedule(transformerLearningRate, transformerWarmup, transformerSteps, transformerSchedule,
                        imageSteps, lowResolution);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("training recipe: transformer_schedule '"
                        + transformerSchedule.name().toLowerCase(java.util.Locale.ROOT)
                        + "' needs every phase longer than transformer_warmup (" + e.getMessage() + ")", e);
            }
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("training recipe: " + message);
        }
    }

    /** {@code demo} or {@code smoke} from the classpath, or a folder holding the five files. */
    public static TrainingRecipe load(String nameOrFolder) {
        if (BUILT_IN.contains(nameOrFolder)) {
            String[] texts = new String[FILES.length];
            for (int i = 0; i < FILES.length; i++) {
                texts[i] = resource("recipes/" + nameOrFolder + "/" + FILES[i]);
            }
            return parse(nameOrFolder, texts);
        }
        Path dir = Path.of(nameOrFolder);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no recipe '" + nameOrFolder + "': use " + BUILT_IN
                    + " or a folder with " + String.join(", ", FILES));
        }
        String[] texts = new String[FILES.length];
        for (int i = 0; i < FILES.length; i++) {
            try {
                texts[i] = Files.readString(dir.resolve(FILES[i]));
            } catch (IOException e) {
                throw new UncheckedIOException("recipe folder " + dir + " lacks " + FILES[i], e);
            }
        }
        return parse(dir.getFileName().toString(), texts);
    }

    private static String resource(String name) {
        try (InputStream in = TrainingRecipe.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TrainingRecipe parse(String name, String[] texts) {
        ConfigJson c = ConfigJson.parse(texts[0]);
        return new TrainingRecipe(name, (long) c.number("seed", 0),
                c.integer("frames", 17), c.integer("height", 64), c.integer("width", 64),
                ObjectSizes.parse(c.string("objects", "standard")),
                c.integer("vae_steps", 1000), c.integer("vae_batch", 8), c.integer("vae_crop_frames", 9),
                c.integer("vae_crop_size", 32), c.number("vae_learning_rate", 2e-3), c.integer("vae_warmup", 50),
                c.number("kl_weight", 1e-3), c.number("vae_edge_weight", 0),
                c.integer("latent_clips", 2048), c.integer("encode_batch", 8),
                LatentScaling.parse(c.string("latent_scaling", "global")),
                c.integer("transformer_steps", 3000), c.integer("transformer_batch", 16),
                c.number("transformer_learning_rate", 1e-3), c.integer("transformer_warmup", 100),
                c.number("weight_decay", 1e-4), c.number("ema_decay", 0), c.integer("image_steps", 0),
                new LowResolution(c.integer("low_res_height", 0), c.integer("low_res_width", 0),
                        c.integer("low_res_steps", 0)),
                TransformerSchedule.parse(c.string("transformer_schedule", "stage")),
                c.number("text_dropout", 0.1), UnconditionalText.parse(c.string("unconditional_text", "empty_prompt")),
                c.number("text_context_scale", 0.25),
                c.integer("ranks", 2), c.integer("checkpoint_every", 200),
                texts[1], texts[2], texts[3], texts[4]);
    }

    /**
     * What an export of this recipe's model records as its source ({@code cogflow-demo}): the work folder's
     * {@code model/} says nothing about where the model came from, the recipe does.
     */
    public String modelName() {
        return "cogflow-" + name;
    }

    /** The clips this recipe trains on: the standard split and captions, with its object sizes. */
    public ClipDataset dataset() {
        return ClipDataset.of(objects);
    }

    /** Identifies the whole run: a checkpoint of stage 2 belongs to exactly one. */
    public String fingerprint() {
        // the record's text holds every setting and all four config files; a recipe without a weight average, an
        // image or a low-resolution phase, with global latent scaling, standard objects or one learning-rate
        // schedule over stage 2 leaves those out,
        // so recipes older than the options keep their fingerprints and their runs resume
        String text = toString().replace(", objects=" + ObjectSizes.STANDARD, "");
        if (!lowResolution.used()) {
            text = text.replace(", lowResolution=" + lowResolution, "");
        }
        text = text.replace(", emaDecay=0.0, ", ", ").replace(", imageSteps=0, ", ", ")
                .replace(", transformerSchedule=" + TransformerSchedule.STAGE, "");
        return sha256(text.replace(", latentScaling=" + LatentScaling.GLOBAL, ""));
    }

    /**
     * Identifies what stage 1 and the latent cache depend on (seed, clip size and object sizes, VAE config and its
     * training settings, the latent clips and their scaling). Stage-2 settings may change under an unchanged stage-1
     * fingerprint: the VAE and latents are reused and only stage 2 starts again.
     */
    public String stageOneFingerprint() {
        return sha256(String.valueOf(seed), frames + "x" + height + "x" + width
                        + (objects == ObjectSizes.STANDARD ? "" : " objects " + objects.word()), vaeConfig,
                vaeSteps + "/" + vaeBatch + "/" + vaeCropFrames + "/" + vaeCropSize + "/" + vaeLearningRate + "/"
                        + vaeWarmup + "/" + klWeight + "/" + weightDecay
                        // only a recipe that uses the edge term says so: older recipes keep their fingerprints
                        + (vaeEdgeWeight == 0 ? "" : "/edge " + vaeEdgeWeight),
                latentClips + "/" + encodeBatch + (latentScaling == LatentScaling.GLOBAL ? "" : "/per-channel"),
                textEncoderConfig);
    }

    private static String sha256(String... parts) {
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            for (String s : parts) {
                d.update(s.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(d.digest()).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
