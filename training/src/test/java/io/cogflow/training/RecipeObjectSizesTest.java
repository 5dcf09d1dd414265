package io.cogflow.training;

import io.cogflow.training.data.ClipDataset;
import io.cogflow.training.data.ObjectSizes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code "objects"} in recipe.json chooses the dataset's object sizes. Standard is the default and leaves both
 * fingerprints as they were, so existing work folders resume; large is another stage 1 (other clips, so another VAE
 * and other latents).
 */
class RecipeObjectSizesTest {

    @Test
    void standardIsTheDefaultAndKeepsTheFingerprints(@TempDir Path dir) throws Exception {
        TrainingRecipe smoke = TrainingRecipe.load("smoke");
        // a recipe's name is its folder's, and the name is part of the fingerprint: same name, different folders
        TrainingRecipe explicit = TrainingRecipe.load(smokeWith(dir.resolve("explicit/r"), "\"objects\": \"standard\",")
                .toString());
        assertThat(smoke.objects()).isEqualTo(ObjectSizes.STANDARD);
        assertThat(smoke.dataset()).isSameAs(ClipDataset.standard());
        assertThat(explicit.fingerprint()).isEqualTo(smokeIn(dir.resolve("plain/r")).fingerprint());
        assertThat(explicit.stageOneFingerprint()).isEqualTo(smoke.stageOneFingerprint());
    }

    @Test
    void largeObjectsAreAnotherStageOne(@TempDir Path dir) throws Exception {
        TrainingRecipe standard = smokeIn(dir.resolve("plain/r"));
        TrainingRecipe large = TrainingRecipe.load(smokeWith(dir.resolve("large/r"), "\"objects\": \"large\",")
                .toString());
        assertThat(large.objects()).isEqualTo(ObjectSizes.LARGE);
        assertThat(large.dataset().objects()).isEqualTo(ObjectSizes.LARGE);
        assertThat(large.dataset().trainingClip(5).objects()).isEqualTo(ObjectSizes.LARGE);
        assertThat(large.stageOneFingerprint()).isNotEqualTo(standard.stageOneFingerprint());
        assertThat(large.fingerprint()).isNotEqualTo(standard.fingerprint());
    }

    @Test
    void unknownSizesAreRefused(@TempDir Path dir) throws Exception {
        Path recipe = smokeWith(dir, "\"objects\": \"huge\",");
        assertThatThrownBy(() -> TrainingRecipe.load(recipe.toString()))
                .hasMessageContaining("object sizes must be 'standard' or 'large', got 'huge'");
    }

    /**
     * The smoke recipe's files copied unchanged into {@code dir}, loaded from there (the name is the folder's). Smoke,
     * not demo: it names no object sizes, so it is the default's witness whatever the demo recipe chooses.
     */
    private static TrainingRecipe smokeIn(Path dir) throws Exception {
        return TrainingRecipe.load(smokeWith(dir, "").toString());
    }

    /** The smoke recipe's files in {@code dir}, with {@code setting} added to recipe.json. */
    private static Path smokeWith(Path dir, String setting) throws Exception {
        Files.createDirectories(dir);
        for (String f : TrainingRecipe.FILES) {
            try (var in = TrainingRecipe.class.getResourceAsStream("recipes/smoke/" + f)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String changed = text.replace("\"frames\": 9,", setting + " \"frames\": 9,");
                if (f.equals("recipe.json") && !setting.isEmpty() && changed.equals(text)) {
                    throw new IllegalStateException("the smoke recipe no longer has \"frames\": 9,");
                }
                Files.writeString(dir.resolve(f), f.equals("recipe.json") ? changed : text);
            }
        }
        return dir;
    }
}
