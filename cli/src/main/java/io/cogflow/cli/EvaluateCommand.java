package io.cogflow.cli;

import io.cogflow.cli.console.ProgressLine;
import io.cogflow.training.evaluation.CaptionRanking;
import io.cogflow.training.evaluation.EvaluationSheet;
import io.cogflow.training.evaluation.PromptAdherence;
import io.cogflow.training.evaluation.VaeRoundTrip;
import io.cogflow.training.evaluation.VideoToVideoRecovery;
import io.cogflow.model.vae.CogVideoXVae;
import io.cogflow.model.vae.VaeOptions;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.pipeline.VideoGenerator;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.training.data.ClipDataset;
import io.cogflow.training.data.ClipJudge;
import io.cogflow.training.data.ObjectSizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cogflow evaluate}. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Measure prompt adherence on held-out prompts: generate videos for every (colour, shape, "
                + "motion) combination kept out of training, read colour, motion and shape back from the pixels, "
                + "and print accuracy per attribute and the share of videos whose object glides (no "
                + "frame-to-frame jump above twice the median). Exit code 1 unless colour >= 95 %%, motion >= 95 %%, "
                + "shape >= 80 %% and smoothness >= 90 %%. With --vae: a VAE round trip; with --strength: "
                + "video-to-video from noised held-out clips; with --rank-captions: which caption the model finds "
                + "most likely for noised held-out clips."})
final class EvaluateCommand implements Callable<Integer> {
    static final double COLOUR_TARGET = 0.95;
    static final double MOTION_TARGET = 0.95;
    static final double SHAPE_TARGET = 0.80;
    static final double SMOOTHNESS_TARGET = 0.90;
    /** A VAE round trip must keep the shape nearly always: the transformer cannot draw what its VAE loses. */
    static final double VAE_SHAPE_TARGET = 0.95;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", description = "An exported model folder (default: the shipped demo model).")
    Path model;

    @Option(names = "--vae", description = "Evaluate a VAE round trip instead of a model: render the held-out clips, "
            + "encode and decode them with this VAE (a diffusers vae/ folder, or a model folder holding one, such as "
            + "a training run's model/), judge the result. Exit code 1 unless shape >= 95 %%.")
    Path vae;

    @Option(names = "--strength", split = ",", paramLabel = "S[,S...]",
            description = "Evaluate video-to-video instead of text-to-video: encode the held-out clips with --encoder, "
                    + "noise them to each strength's timestep (1 = pure noise, 0.2 = the last fifth of the steps) and "
                    + "denoise them with their own caption, then judge. Shows at which noise level the model stops "
                    + "recovering shape, colour or motion. A diagnostic: no targets, exit code 0.")
    double[] strengths;

    @Option(names = "--rank-captions", split = ",", paramLabel = "T[,T...]",
            description = "Use the model as a classifier instead of generating: encode the held-out clips with "
                    + "--encoder, noise each at these timesteps (0-999) and score its own caption against every "
                    + "caption that changes one word (colour, shape or motion) by the transformer's error; the "
                    + "lowest is the model's reading. Says whether the model knows an attribute at all, apart from "
                    + "sampling. A diagnostic: no targets, exit code 0.")
    long[] rankTimesteps;

    @Option(names = "--draws", defaultValue = "1", description = "Noise draws per timestep for --rank-captions "
            + "(default 1); every caption of a clip sees the same draws.")
    int draws;

    @Option(names = "--encoder", description = "The VAE that encodes the clips for --strength and --rank-captions: "
            + "the model's own, a diffusers vae/ folder or a model folder holding one (such as the training run's "
            + "model/ the export was made from).")
    Path encoder;

    @Option(names = "--size", defaultValue = "64x64x17",
            description = "Clip size WIDTHxHEIGHTxFRAMES of a --vae round trip (default 64x64x17).")
    String size;

    @Option(names = "--objects", defaultValue = "standard", converter = ObjectSizesWord.class,
            description = "Object sizes of the clips rendered for --vae, --strength and --rank-captions: standard or "
                    + "large, as the recipe of the VAE or model was trained on (`objects` in recipe.json; default "
                    + "standard).")
    ObjectSizes objects;

    @Option(names = "--per-combination", defaultValue = "4",
            description = "Videos per held-out combination (default 4: 96 videos; backgrounds rotate).")
    int perCombination;

    @Option(names = "--steps", defaultValue = "25", description = "Sampling steps (default 25).")
    int steps;

    @Option(names = "--guidance", defaultValue = "3.0", description = "Classifier-free guidance (default 3: for the "
            + "demo model, the best of 3, 4 and 6 on training prompts).")
    double guidance;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for the prompts' backgrounds and noise.")
    long seed;

    @Option(names = "--batch", defaultValue = "8", description = "Videos per generation batch (default 8).")
    int batch;

    @Option(names = "--split", defaultValue = "held-out", description = "held-out (the measure) or training "
            + "(as many prompts of combinations seen in training, for comparison).")
    String split;

    @Option(names = "--sheet", description = "Write a PNG contact sheet of the evaluated videos here.")
    Path sheet;

    @Option(names = "--sheet-rows", defaultValue = "12", description = "Videos on the contact sheet (default 12).")
    int sheetRows;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    ExportedModelOptions exported;

    @Mixin
    JsonOutput json;

    /**
     * The --json document; accuracies and targets are fractions (0.9 is 90 %), {@code sheetFile} is null without
     * --sheet.
     */
    record Result(Path model, PromptAdherence.Split split, int videos, VideoSize size, int steps, double guidance,
                  int batch, long seed, double colourAccuracy, double motionAccuracy, double shapeAccuracy,
                  double smoothness, double colourTarget, double motionTarget, double shapeTarget,
                  double smoothnessTarget, double seconds, Path sheetFile, boolean passed) {
    }

    /** The --json document of a --vae round trip. */
    /** {@code --objects}: the recipe's word for the object sizes. */
    static final class ObjectSizesWord implements picocli.CommandLine.ITypeConverter<ObjectSizes> {
        @Override
        public ObjectSizes convert(String word) {
            return ObjectSizes.parse(word);
        }
    }

    record VaeResult(Path vae, int clips, VideoSize size, ObjectSizes objects, long seed, double colourAccuracy,
                     double motionAccuracy, double shapeAccuracy, double smoothness, double shapeTarget,
                     double seconds, Path sheetFile, boolean passed) {
    }

    /** The --json document of a --strength evaluation: one row per strength. */
    record VideoToVideoResult(Path model, Path encoder, int clips, VideoSize size, ObjectSizes objects, int steps,
                              double guidance, long seed, List<StrengthRow> strengths, double seconds) {
    }

    /** {@code timestep}: where the sampler joined the grid; {@code stepsWalked}: the steps it took from there. */
    record StrengthRow(double strength, long timestep, int stepsWalked, double colourAccuracy, double motionAccuracy,
                       double shapeAccuracy, double smoothness, double seconds) {
    }

    /** The --json document of --rank-captions: one row per attribute. */
    record RankingResult(Path model, Path encoder, int clips, VideoSize size, ObjectSizes objects, long seed,
                         long[] timesteps, int draws, List<RankingRow> attributes, double seconds) {
    }

    /**
     * {@code accuracyAt}: scored at each timestep alone, in the order of {@code timesteps}; {@code confusion}:
     * [prompted][read], by the order of {@code values}.
     */
    record RankingRow(CaptionRanking.Attribute attribute, double accuracy, double[] accuracyAt, List<String> values,
                      int[][] confusion) {
    }

    @Override
    public Integer call() throws IOException {
        refuseOptionsOfTheOtherMode();
        if (vae != null) {
            return roundTrip();
        }
        if (strengths != null) {
            return videoToVideo();
        }
        if (rankTimesteps != null) {
            return rankCaptions();
        }
        PrintWriter out = json.text();
        Path dir = model != null ? model : RepositoryPaths.demoModel();
        try (VideoGenerator generator = VideoGenerator.load(dir, runtime.session(), exported.loadOptions())) {
            ModelManifest.Size first = generator.manifest().sizes().get(0);
            VideoSize size = first.video();
            PromptAdherence.Split which = switch (split) {
                case "held-out" -> PromptAdherence.Split.HELD_OUT;
                case "training" -> PromptAdherence.Split.TRAINING;
                default -> throw new IllegalArgumentException("--split must be held-out or training, got '" + split
                        + "'");
            };
            PromptAdherence.Settings s = new PromptAdherence.Settings(size, perCombination, seed, steps, guidance,
                    batch, which);
            int total = PromptAdherence.prompts(s).size();
            out.printf(Locale.ROOT, "model       %s%n", dir);
            out.printf(Locale.ROOT, "prompts     %s: %d %s x %d = %d videos at %s, %d steps, guidance %.1f%n", split,
                    ClipDataset.standard().heldOutCount(), which == PromptAdherence.Split.HELD_OUT
                            ? "held-out combinations" : "training clips", perCombination, total, size, steps,
                    guidance);
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            PromptAdherence.Report r;
            try (ProgressLine progress = new ProgressLine(err, StandardStreamWriter.isTerminal(err), "generated",
                    "videos", total)) {
                r = PromptAdherence.evaluate(generator, s, progress::update);
            }
            out.printf(Locale.ROOT, "colour      %5.1f %%  (target >= %.0f %%)%n", 100 * r.colourAccuracy(),
                    100 * COLOUR_TARGET);
            out.printf(Locale.ROOT, "motion      %5.1f %%  (target >= %.0f %%)%n", 100 * r.motionAccuracy(),
                    100 * MOTION_TARGET);
            out.printf(Locale.ROOT, "shape       %5.1f %%  (target >= %.0f %%)%n", 100 * r.shapeAccuracy(),
                    100 * SHAPE_TARGET);
            out.printf(Locale.ROOT, "smoothness  %5.1f %%  (target >= %.0f %%: no jump above %.0fx the median "
                    + "displacement)%n", 100 * r.smoothness(), 100 * SMOOTHNESS_TARGET, ClipJudge.MAX_JUMP_RATIO);
            out.printf(Locale.ROOT, "time        %.1f s, %.2f s per video (batch %d)%n", r.seconds(),
                    r.seconds() / total, batch);
            writeSheet(out, r);
            boolean pass = r.colourAccuracy() >= COLOUR_TARGET && r.motionAccuracy() >= MOTION_TARGET
                    && r.shapeAccuracy() >= SHAPE_TARGET && r.smoothness() >= SMOOTHNESS_TARGET;
            out.println(pass ? "PASS" : "FAIL");
            out.flush();
            json.result(new Result(dir, which, total, size, steps, guidance, batch, seed, r.colourAccuracy(),
                    r.motionAccuracy(), r.shapeAccuracy(), r.smoothness(), COLOUR_TARGET, MOTION_TARGET,
                    SHAPE_TARGET, SMOOTHNESS_TARGET, r.seconds(), sheet, pass));
            return pass ? 0 : Cogflow.FAIL;
        }
    }

    /**
     * A round trip has no model, sampler, split or exported graph to prepare; a model's clip size is its own: say so
     * rather than ignore it.
     */
    private void refuseOptionsOfTheOtherMode() {
        var parsed = spec.commandLine().getParseResult();
        List<String> modelOnly = List.of("--model", "--steps", "--guidance", "--split", "--xla",
                "--text-encoder-device");
        if (vae != null) {
            for (String o : modelOnly) {
                if (parsed.hasMatchedOption(o)) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                            o + " evaluates a model; --vae evaluates a VAE round trip, which has no " + o.substring(2));
                }
            }
        } else if (parsed.hasMatchedOption("--size")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--size is for --vae; a model is evaluated at the size it was exported for");
        }
        boolean rendersClips = vae != null || strengths != null || rankTimesteps != null;
        if (!rendersClips && parsed.hasMatchedOption("--objects")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--objects is for --vae, --strength and --rank-captions, which render clips; text-to-video "
                            + "renders none");
        }
        int modes = (vae != null ? 1 : 0) + (strengths != null ? 1 : 0) + (rankTimesteps != null ? 1 : 0);
        if (modes > 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--vae evaluates a VAE round trip, --strength a model's video-to-video, --rank-captions the "
                            + "model as a classifier: choose one");
        }
        boolean encodes = strengths != null || rankTimesteps != null;
        if (encodes && encoder == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    (strengths != null ? "--strength" : "--rank-captions")
                            + " needs --encoder: an exported model holds only its VAE's decoder");
        }
        if (!encodes && encoder != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--encoder is for --strength and --rank-captions");
        }
        if (rankTimesteps == null && parsed.hasMatchedOption("--draws")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--draws is for --rank-captions");
        }
        if (encodes) {
            String mode = strengths != null ? "--strength" : "--rank-captions";
            List<String> unsupported = strengths != null ? List.of("--split", "--sheet", "--sheet-rows")
                    : List.of("--split", "--sheet", "--sheet-rows", "--steps", "--guidance");
            for (String o : unsupported) {
                if (parsed.hasMatchedOption(o)) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                            o + " is not supported with " + mode + ", which " + (strengths != null
                                    ? "evaluates the held-out clips" : "scores captions without sampling"));
                }
            }
        }
    }

    /** An exported model and the VAE whose encoder turns rendered clips into its latents (an export has none). */
    private record ModelAndEncoder(VideoGenerator generator, CogVideoXVae encoder) implements AutoCloseable {
        @Override
        public void close() {
            try (generator; encoder) {
                // closes both, the encoder first
            }
        }
    }

    /** Loads the model and the --encoder VAE and says which they are. */
    private ModelAndEncoder openWithEncoder(Path dir, PrintWriter out) {
        VideoGenerator generator = VideoGenerator.load(dir, runtime.session(), exported.loadOptions());
        try {
            CogVideoXVae v = CogVideoXVae.load(encoder, new VaeOptions(runtime.session(), null, false));
            out.printf(Locale.ROOT, "model       %s%n", dir);
            out.printf(Locale.ROOT, "encoder     %s%n", encoder);
            return new ModelAndEncoder(generator, v);
        } catch (RuntimeException e) {
            generator.close();
            throw e;
        }
    }

    private int videoToVideo() {
        PrintWriter out = json.text();
        Path dir = model != null ? model : RepositoryPaths.demoModel();
        VideoToVideoRecovery.Settings s = new VideoToVideoRecovery.Settings(objects, perCombination, seed, steps,
                guidance, batch, strengths);
        try (ModelAndEncoder opened = openWithEncoder(dir, out)) {
            VideoGenerator generator = opened.generator();
            CogVideoXVae v = opened.encoder();
            VideoSize size = generator.manifest().sizes().get(0).video();
            int clips = ClipDataset.standard().heldOutCount() * perCombination;
            out.printf(Locale.ROOT, "clips       held-out: %d combinations x %d = %d rendered clips at %s "
                            + "(%s objects), encoded, noised to each strength and denoised with their captions "
                            + "(%d-step grid, guidance %.1f)%n", ClipDataset.standard().heldOutCount(), perCombination,
                    clips, size, objects.word(), steps, guidance);
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            List<VideoToVideoRecovery.AtStrength> rows;
            long started = System.nanoTime();
            try (ProgressLine progress = new ProgressLine(err, StandardStreamWriter.isTerminal(err), "denoised",
                    "videos", clips * strengths.length)) {
                rows = VideoToVideoRecovery.evaluate(generator, v, s, progress::update);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            out.printf(Locale.ROOT, "strength  timestep  steps  colour   motion   shape    smoothness%n");
            List<StrengthRow> doc = new ArrayList<>();
            for (VideoToVideoRecovery.AtStrength a : rows) {
                PromptAdherence.Report r = a.report();
                out.printf(Locale.ROOT, "%-8.2f  %8d  %5d  %5.1f %%  %5.1f %%  %5.1f %%  %5.1f %%%n", a.strength(),
                        a.timestep(), a.stepsWalked(), 100 * r.colourAccuracy(), 100 * r.motionAccuracy(),
                        100 * r.shapeAccuracy(), 100 * r.smoothness());
                doc.add(new StrengthRow(a.strength(), a.timestep(), a.stepsWalked(), r.colourAccuracy(),
                        r.motionAccuracy(), r.shapeAccuracy(), r.smoothness(), r.seconds()));
            }
            out.printf(Locale.ROOT, "time        %.1f s%n", seconds);
            out.flush();
            json.result(new VideoToVideoResult(dir, encoder, clips, size, objects, steps, guidance, seed, doc,
                    seconds));
            return 0;
        }
    }

    private int rankCaptions() {
        PrintWriter out = json.text();
        Path dir = model != null ? model : RepositoryPaths.demoModel();
        CaptionRanking.Settings s = new CaptionRanking.Settings(objects, perCombination, seed, rankTimesteps, draws,
                batch);
        try (ModelAndEncoder opened = openWithEncoder(dir, out)) {
            VideoGenerator generator = opened.generator();
            VideoSize size = generator.manifest().sizes().get(0).video();
            int clips = ClipDataset.standard().heldOutCount() * perCombination;
            out.printf(Locale.ROOT, "clips       held-out: %d combinations x %d = %d rendered clips at %s (%s objects), "
                            + "encoded, noised at t = %s (%d draw%s each); every caption one word away from the "
                            + "clip's own is scored%n", ClipDataset.standard().heldOutCount(), perCombination, clips,
                    size, objects.word(), java.util.Arrays.toString(rankTimesteps), draws, draws == 1 ? "" : "s");
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            CaptionRanking.Report r;
            try (ProgressLine progress = new ProgressLine(err, StandardStreamWriter.isTerminal(err), "scored",
                    "clips", clips)) {
                r = CaptionRanking.evaluate(generator, opened.encoder(), s, progress::update);
            }
            StringBuilder header = new StringBuilder("read as     all t  ");
            for (long t : rankTimesteps) {
                header.append(String.format(Locale.ROOT, " t=%-5d", t));
            }
            out.println(header.toString().stripTrailing());
            List<RankingRow> doc = new ArrayList<>();
            for (CaptionRanking.Readings readings : r.readings().values()) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s %5.1f %%",
                        readings.attribute().name().toLowerCase(Locale.ROOT), 100 * readings.accuracy()));
                double[] at = new double[rankTimesteps.length];
                for (int t = 0; t < at.length; t++) {
                    at[t] = readings.accuracyAt(t);
                    line.append(String.format(Locale.ROOT, " %5.1f %%", 100 * at[t]));
                }
                out.println(line);
                doc.add(new RankingRow(readings.attribute(), readings.accuracy(), at,
                        values(readings.attribute()), readings.confusion()));
            }
            CaptionRanking.Readings shapes = r.readings().get(CaptionRanking.Attribute.SHAPE);
            out.printf(Locale.ROOT, "shape confusion (rows prompted, columns read): %s%n",
                    String.join(" / ", values(CaptionRanking.Attribute.SHAPE)));
            for (int i = 0; i < shapes.confusion().length; i++) {
                out.printf(Locale.ROOT, "  %-9s %s%n", values(CaptionRanking.Attribute.SHAPE).get(i),
                        java.util.Arrays.toString(shapes.confusion()[i]));
            }
            out.printf(Locale.ROOT, "time        %.1f s%n", r.seconds());
            out.flush();
            json.result(new RankingResult(dir, encoder, clips, size, objects, seed, rankTimesteps, draws, doc,
                    r.seconds()));
            return 0;
        }
    }

    private static List<String> values(CaptionRanking.Attribute a) {
        return a.choices().stream().map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    }

    private int roundTrip() throws IOException {
        PrintWriter out = json.text();
        VideoSize clip = VideoSize.parse(size);
        try (CogVideoXVae v = CogVideoXVae.load(vae, new VaeOptions(runtime.session(), null, false))) {
            VaeRoundTrip.Settings s = new VaeRoundTrip.Settings(clip.frames(), clip.height(), clip.width(),
                    objects, perCombination, seed, batch);
            int total = ClipDataset.standard().heldOutCount() * perCombination;
            out.printf(Locale.ROOT, "vae         %s%n", vae);
            out.printf(Locale.ROOT, "clips       held-out: %d combinations x %d = %d rendered clips at %s "
                            + "(%s objects), encoded and decoded%n", ClipDataset.standard().heldOutCount(),
                    perCombination, total, clip, objects.word());
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            PromptAdherence.Report r;
            try (ProgressLine progress = new ProgressLine(err, StandardStreamWriter.isTerminal(err), "round trips",
                    "clips", total)) {
                r = VaeRoundTrip.evaluate(v, s, progress::update);
            }
            out.printf(Locale.ROOT, "colour      %5.1f %%%n", 100 * r.colourAccuracy());
            out.printf(Locale.ROOT, "motion      %5.1f %%%n", 100 * r.motionAccuracy());
            out.printf(Locale.ROOT, "shape       %5.1f %%  (target >= %.0f %%)%n", 100 * r.shapeAccuracy(),
                    100 * VAE_SHAPE_TARGET);
            out.printf(Locale.ROOT, "smoothness  %5.1f %%%n", 100 * r.smoothness());
            out.printf(Locale.ROOT, "time        %.1f s%n", r.seconds());
            writeSheet(out, r);
            boolean pass = r.shapeAccuracy() >= VAE_SHAPE_TARGET;
            out.println(pass ? "PASS" : "FAIL");
            out.flush();
            json.result(new VaeResult(vae, total, clip, objects, seed, r.colourAccuracy(), r.motionAccuracy(),
                    r.shapeAccuracy(), r.smoothness(), VAE_SHAPE_TARGET, r.seconds(), sheet, pass));
            return pass ? 0 : Cogflow.FAIL;
        }
    }

    private void writeSheet(PrintWriter out, PromptAdherence.Report r) throws IOException {
        if (sheet == null) {
            return;
        }
        List<PromptAdherence.Case> shown = spread(r.cases(), sheetRows);
        Path parent = sheet.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(sheet, EvaluationSheet.png(shown, 9, 2));
        out.printf(Locale.ROOT, "sheet       %s (%d videos)%n", sheet, shown.size());
    }

    /** {@code rows} cases spread over the whole list, so the sheet shows many combinations. */
    private static List<PromptAdherence.Case> spread(List<PromptAdherence.Case> cases, int rows) {
        if (cases.size() <= rows) {
            return cases;
        }
        return java.util.stream.IntStream.range(0, rows).mapToObj(i -> cases.get(i * cases.size() / rows)).toList();
    }
}
