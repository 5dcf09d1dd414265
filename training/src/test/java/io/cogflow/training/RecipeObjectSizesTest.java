package io.cogflow.training;

import io.cogflow.training.data.ClipDataset;
import io.cogflow.training.data.ObjectSizes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        TrainingRecipe explicit = TrainingRecipe.load(
                SmokeRecipeFiles.with(dir.resolve("explicit/r"), "\"objects\": \"standard\",").toString());
        assertThat(smoke.objects()).isEqualTo(ObjectSizes.STANDARD);
        assertThat(smoke.dataset()).isSameAs(ClipDataset.standard());
        assertThat(explicit.fingerprint()).isEqualTo(smokeIn(dir.resolve("plain/r")).fingerprint());
        assertThat(explicit.stageOneFingerprint()).isEqualTo(smoke.stageOneFingerprint());
    }

    @Test
    void largeObjectsAreAnotherStageOne(@TempDir Path dir) throws Exception {
        TrainingRecipe standard = smokeIn(dir.resolve("plain/r"));
        TrainingRecipe large = TrainingRecipe.load(
                SmokeRecipeFiles.with(dir.resolve("large/r"), "\"objects\": \"large\",").toString());
        assertThat(large.objects()).isEqualTo(ObjectSizes.LARGE);
        assertThat(large.dataset().objects()).isEqualTo(ObjectSizes.LARGE);
        assertThat(large.dataset().trainingClip(5).objects()).isEqualTo(ObjectSizes.LARGE);
        assertThat(large.stageOneFingerprint()).isNotEqualTo(standard.stageOneFingerprint());
        assertThat(large.fingerprint()).isNotEqualTo(standard.fingerprint());
    }

    @Test
    void unknownSizesAreRefused(@TempDir Path dir) throws Exception {
        Path recipe = SmokeRecipeFiles.with(dir, "\"objects\": \"huge\",");
        assertThatThrownBy(() -> TrainingRecipe.load(recipe.toString()))
                .hasMessageContaining("object sizes must be 'standard' or 'large', got 'huge'");
    }

    /**
     * The smoke recipe's files copied unchanged into {@code dir}, loaded from there (the name is the folder's). Smoke,
     * not demo: it names no object sizes, so it is the default's witness whatever the demo recipe chooses.
     */
    private static TrainingRecipe smokeIn(Path dir) throws Exception {
        return TrainingRecipe.load(SmokeRecipeFiles.with(dir, "").toString());
    }
}
