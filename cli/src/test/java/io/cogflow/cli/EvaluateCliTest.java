package io.cogflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cogflow evaluate} end to end on the random-weight plumbing model: every held-out prompt is generated
 * and judged, the per-attribute accuracies and the verdict are printed, and the contact sheet is a real PNG. A
 * model with random weights must fail the targets — the judge is not fooled by noise.
 */
class EvaluateCliTest {

    @Test
    void evaluatesHeldOutPromptsPrintsAccuraciesAndWritesASheet(@TempDir Path dir) throws Exception {
        Path model = io.cogflow.job.TestModels.plumbing();
        Path sheet = dir.resolve("sheet.png");
        CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--per-combination", "1", "--steps", "2",
                "--sheet", sheet.toString(), "--sheet-rows", "4");
        String text = run.out();
        String err = run.err();
        System.out.println(text);
        assertThat(text).contains("held-out: 24 held-out combinations x 1 = 24 videos").containsPattern("colour +[0-9.]+ %")
                .containsPattern("motion +[0-9.]+ %").containsPattern("shape +[0-9.]+ %").containsPattern("smoothness +[0-9.]+ %").contains("FAIL");
        assertThat(run.exit()).as(err).isEqualTo(Cogflow.FAIL);
        // progress went to a writer that is no terminal: lines, each on its own, the last one complete
        assertThat(err).doesNotContain("\r");
        assertThat(err.lines().filter(l -> l.startsWith("generated ["))).isNotEmpty().last().asString()
                .contains("24/24 videos");
        BufferedImage png = ImageIO.read(sheet.toFile());
        assertThat(png.getHeight()).isGreaterThan(4 * 64);
        assertThat(png.getWidth()).isGreaterThanOrEqualTo(9 * 128);
    }

    @Test
    void jsonCarriesTheAccuraciesAndTheVerdict(@TempDir Path dir) {
        Path model = io.cogflow.job.TestModels.plumbing();
        CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--per-combination", "1", "--steps", "1",
                "--split", "training", "--json");
        assertThat(run.exit()).as(run.err()).isEqualTo(Cogflow.FAIL);
        JsonNode n = JsonDocument.parse(run.out());
        assertThat(n.get("split").asText()).isEqualTo("TRAINING");
        assertThat(JsonDocument.number(n, "videos")).isEqualTo(24);
        assertThat(n.get("size").get("frames").asInt()).isEqualTo(9);
        assertThat(JsonDocument.number(n, "steps")).isEqualTo(1);
        for (String k : List.of("colour_accuracy", "motion_accuracy", "shape_accuracy", "smoothness")) {
            assertThat(JsonDocument.number(n, k)).isBetween(0.0, 1.0);
        }
        assertThat(JsonDocument.number(n, "colour_target")).isEqualTo(0.95);
        assertThat(JsonDocument.number(n, "motion_target")).isEqualTo(0.95);
        assertThat(JsonDocument.number(n, "shape_target")).isEqualTo(0.8);
        assertThat(JsonDocument.number(n, "smoothness_target")).isEqualTo(0.9);
        assertThat(JsonDocument.number(n, "seconds")).isPositive();
        assertThat(n.get("sheet_file").isNull()).isTrue();
        assertThat(n.get("passed").isBoolean()).isTrue();
        assertThat(n.get("passed").asBoolean()).isFalse();
        // the text, and the progress, went to stderr
        assertThat(run.err()).contains("colour ").contains("generated [").contains("FAIL");
    }

    /**
     * {@code --vae}: the held-out clips rendered, encoded and decoded by a VAE folder and judged. The golden tiny
     * VAE has random weights: its round trips are noise, so the shape target fails.
     */
    @Test
    void aVaeRoundTripIsJudgedAndARandomVaeFails(@TempDir Path dir) {
        Path sheet = dir.resolve("vae.png");
        CliRun run = CliRun.of("evaluate", "--vae", "../testdata/golden/vae_tiny", "--size", "64x64x9",
                "--objects", "large", "--per-combination", "1", "--sheet", sheet.toString(), "--sheet-rows", "3",
                "--json");
        assertThat(run.exit()).as(run.err()).isEqualTo(Cogflow.FAIL);
        JsonNode n = JsonDocument.parse(run.out());
        assertThat(JsonDocument.number(n, "clips")).isEqualTo(24);
        assertThat(n.get("size").get("frames").asInt()).isEqualTo(9);
        assertThat(n.get("objects").asText()).isEqualTo("LARGE");
        assertThat(JsonDocument.number(n, "shape_accuracy")).isLessThan(0.95);
        for (String k : List.of("colour_accuracy", "motion_accuracy", "shape_accuracy", "smoothness")) {
            assertThat(JsonDocument.number(n, k)).isBetween(0.0, 1.0);
        }
        assertThat(JsonDocument.number(n, "shape_target")).isEqualTo(0.95);
        assertThat(n.get("passed").asBoolean()).isFalse();
        assertThat(sheet).isRegularFile();
        assertThat(run.err()).contains("round trips [").contains("24/24 clips").contains("FAIL");
    }

    @Test
    void optionsOfTheOtherModeAreRefusedNotIgnored() {
        CliRun steps = CliRun.of("evaluate", "--vae", "../testdata/golden/vae_tiny", "--steps", "5");
        assertThat(steps.exit()).isNotZero().isNotEqualTo(Cogflow.FAIL);
        assertThat(steps.err()).contains("--steps evaluates a model");
        CliRun xla = CliRun.of("evaluate", "--vae", "../testdata/golden/vae_tiny", "--xla", "decode");
        assertThat(xla.exit()).isNotZero().isNotEqualTo(Cogflow.FAIL);
        assertThat(xla.err()).contains("--xla evaluates a model");
        CliRun size = CliRun.of("evaluate", "--size", "96x96x17");
        assertThat(size.exit()).isNotZero().isNotEqualTo(Cogflow.FAIL);
        assertThat(size.err()).contains("--size is for --vae");
        CliRun objects = CliRun.of("evaluate", "--objects", "large");
        assertThat(objects.exit()).isNotZero().isNotEqualTo(Cogflow.FAIL);
        assertThat(objects.err()).contains("--objects is for --vae, --strength and --rank-captions");
        CliRun huge = CliRun.of("evaluate", "--vae", "../testdata/golden/vae_tiny", "--objects", "huge");
        assertThat(huge.exit()).isNotZero().isNotEqualTo(Cogflow.FAIL);
        assertThat(huge.err()).contains("object sizes must be 'standard' or 'large'");
    }

    /**
     * {@code --strength}: held-out clips encoded, noised and denoised by the model. At strength 1 the zero-SNR
     * schedule noises the input away, so the row must read exactly what text-to-video reads with the same seeds.
     */
    @Test
    void videoToVideoReportsOneRowPerStrengthAndFullStrengthIsTextToVideo() {
        Path model = io.cogflow.job.TestModels.plumbing();
        CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--per-combination", "1", "--steps", "2",
                "--strength", "1,0.5", "--encoder", "../testdata/golden/vae_tiny", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode n = JsonDocument.parse(run.out());
        assertThat(JsonDocument.number(n, "clips")).isEqualTo(24);
        JsonNode rows = n.get("strengths");
        assertThat(rows).hasSize(2);
        assertThat(JsonDocument.number(rows.get(0), "timestep")).isEqualTo(999);
        assertThat(JsonDocument.number(rows.get(0), "steps_walked")).isEqualTo(2);
        assertThat(JsonDocument.number(rows.get(1), "strength")).isEqualTo(0.5);
        assertThat(JsonDocument.number(rows.get(1), "timestep")).isEqualTo(499);
        assertThat(JsonDocument.number(rows.get(1), "steps_walked")).isEqualTo(1);
        assertThat(run.err()).contains("denoised [").contains("48/48 videos").contains("strength  timestep");

        CliRun text = CliRun.of("evaluate", "--model", model.toString(), "--per-combination", "1", "--steps", "2",
                "--json");
        JsonNode t = JsonDocument.parse(text.out());
        for (String k : List.of("colour_accuracy", "motion_accuracy", "shape_accuracy", "smoothness")) {
            assertThat(JsonDocument.number(rows.get(0), k)).as(k).isEqualTo(JsonDocument.number(t, k));
        }
    }

    @Test
    void videoToVideoOptionsAreRefusedWhereTheyCannotWork() {
        CliRun noEncoder = CliRun.of("evaluate", "--strength", "0.5");
        assertThat(noEncoder.exit()).isNotZero().isNotEqualTo(Cogflow.FAIL);
        assertThat(noEncoder.err()).contains("--strength needs --encoder");
        CliRun noStrength = CliRun.of("evaluate", "--encoder", "../testdata/golden/vae_tiny");
        assertThat(noStrength.err()).contains("--encoder is for --strength");
        CliRun both = CliRun.of("evaluate", "--vae", "../testdata/golden/vae_tiny", "--strength", "0.5");
        assertThat(both.err()).contains("choose one");
        CliRun split = CliRun.of("evaluate", "--strength", "0.5", "--encoder", "../testdata/golden/vae_tiny",
                "--split", "training");
        assertThat(split.err()).contains("--split is not supported with --strength");
        CliRun weak = CliRun.of("evaluate", "--model", io.cogflow.job.TestModels.plumbing().toString(), "--steps",
                "2", "--strength", "0.2", "--encoder", "../testdata/golden/vae_tiny");
        assertThat(weak.exit()).isEqualTo(Cogflow.ERROR);
        assertThat(weak.err()).contains("walks no step of a 2-step grid");
    }

    /**
     * {@code --rank-captions}: every held-out clip read once per attribute, and the readings add up — each
     * confusion row holds exactly the clips prompted with that value, its diagonal is the accuracy, and with one
     * timestep the all-timestep reading is that timestep's.
     */
    @Test
    void captionRankingReadsEveryClipOncePerAttribute() {
        Path model = io.cogflow.job.TestModels.plumbing();
        CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--per-combination", "1",
                "--rank-captions", "500", "--encoder", "../testdata/golden/vae_tiny", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("scored [").contains("24/24 clips").contains("shape confusion");
        JsonNode n = JsonDocument.parse(run.out());
        assertThat(JsonDocument.number(n, "clips")).isEqualTo(24);
        JsonNode rows = n.get("attributes");
        assertThat(rows).hasSize(3);
        List<io.cogflow.training.data.ClipSpec> clips = io.cogflow.training.data.ClipDataset.standard()
                .heldOutClips(1, 1);
        for (JsonNode row : rows) {
            String attribute = row.get("attribute").asText();
            JsonNode confusion = row.get("confusion");
            assertThat(confusion).hasSize(row.get("values").size());
            int right = 0;
            for (int prompted = 0; prompted < confusion.size(); prompted++) {
                int sum = 0;
                for (JsonNode count : confusion.get(prompted)) {
                    sum += count.asInt();
                }
                int p = prompted;
                long expected = clips.stream().filter(c -> switch (attribute) {
                    case "COLOUR" -> c.colour().ordinal() == p;
                    case "SHAPE" -> c.shape().ordinal() == p;
                    default -> c.motion().ordinal() == p;
                }).count();
                assertThat(sum).as(attribute + " prompted " + prompted).isEqualTo(expected);
                right += confusion.get(prompted).get(prompted).asInt();
            }
            assertThat(JsonDocument.number(row, "accuracy")).as(attribute).isEqualTo(right / 24.0);
            assertThat(row.get("accuracy_at")).hasSize(1);
            assertThat(row.get("accuracy_at").get(0).asDouble()).isEqualTo(right / 24.0);
        }
    }

    @Test
    void captionRankingOptionsAreRefusedWhereTheyCannotWork() {
        CliRun noEncoder = CliRun.of("evaluate", "--rank-captions", "500");
        assertThat(noEncoder.exit()).isNotZero().isNotEqualTo(Cogflow.FAIL);
        assertThat(noEncoder.err()).contains("--rank-captions needs --encoder");
        CliRun draws = CliRun.of("evaluate", "--draws", "2");
        assertThat(draws.err()).contains("--draws is for --rank-captions");
        CliRun steps = CliRun.of("evaluate", "--rank-captions", "500", "--encoder", "../testdata/golden/vae_tiny",
                "--steps", "5");
        assertThat(steps.err()).contains("--steps is not supported with --rank-captions");
        CliRun both = CliRun.of("evaluate", "--rank-captions", "500", "--strength", "0.5", "--encoder",
                "../testdata/golden/vae_tiny");
        assertThat(both.err()).contains("choose one");
        CliRun late = CliRun.of("evaluate", "--model", io.cogflow.job.TestModels.plumbing().toString(),
                "--rank-captions", "1000", "--encoder", "../testdata/golden/vae_tiny");
        assertThat(late.exit()).isEqualTo(Cogflow.ERROR);
        assertThat(late.err()).contains("timestep 1000 is outside [0, 1000)");
    }

    @Test
    void anUnknownRecipeIsAOneLineError() {
        CliRun run = CliRun.of("train", "--recipe", "no-such-recipe", "--work", "target/never");
        assertThat(run.exit()).isEqualTo(Cogflow.ERROR);
        assertThat(run.err()).contains("no recipe 'no-such-recipe'").contains("demo").contains("smoke");
    }

    @Test
    void trainStopsAtTheStepBudgetWithACheckpointAndSaysHowToResume(@TempDir Path dir) {
        String out = CliRun.of("train", "--recipe", "smoke", "--work", dir.toString(), "--max-steps", "2").succeeded();
        assertThat(out).contains("recipe      smoke").contains("vae         2/8 steps")
                .contains("run the same command again to resume");
        assertThat(dir.resolve("state/vae.safetensors")).exists();
        assertThat(dir.resolve("state/vae.json")).content().contains("\"steps\" : 2");
    }

    /** What the README's recipe command does to the end: train, then export in the precision asked for. */
    @Test
    void trainExportsTheFinishedModelInTheRequestedPrecision(@TempDir Path dir) {
        Path export = dir.resolve("export");
        String out = CliRun.of("train", "--recipe", "smoke", "--work", dir.resolve("work").toString(), "--export",
                export.toString(), "--export-compute", "bfloat16").succeeded();
        assertThat(out).contains("exported    " + export + " (cogflow-smoke)");
        io.cogflow.model.export.ModelManifest m = io.cogflow.model.export.ModelManifest.read(export);
        assertThat(m.source()).isEqualTo("cogflow-smoke");
        assertThat(m.compute()).isEqualTo(io.cogflow.model.export.ComputePrecision.BFLOAT16);
        assertThat(m.dtype()).isEqualTo("bfloat16");
    }

    @Test
    void anUnknownExportPrecisionIsRefusedBeforeAnyTraining(@TempDir Path dir) {
        CliRun run = CliRun.of("train", "--recipe", "smoke", "--work", dir.resolve("work").toString(), "--export",
                dir.resolve("export").toString(), "--export-compute", "float64");
        assertThat(run.exit()).isEqualTo(Cogflow.ERROR);
        assertThat(run.err()).contains("float64").contains("bfloat16");
        assertThat(dir.resolve("work")).doesNotExist();
    }
}
