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
        TrainingRecipe demo = TrainingRecipe.load("demo");
        // a recipe's name is its folder's, and the name is part of the fingerprint: same name, different folders
        TrainingRecipe explicit = TrainingRecipe.load(demoWith(dir.resolve("explicit/r"), "\"objects\": \"standard\",")
                .toString());
        assertThat(demo.objects()).isEqualTo(ObjectSizes.STANDARD);
        assertThat(demo.dataset()).isSameAs(ClipDataset.standard());
        assertThat(explicit.fingerprint()).isEqualTo(demoIn(dir.resolve("plain/r")).fingerprint());
        assertThat(explicit.stageOneFingerprint()).isEqualTo(demo.stageOneFingerprint());
    }

    @Test
    void largeObjectsAreAnotherStageOne(@TempDir Path dir) throws Exception {
        TrainingRecipe demo = demoIn(dir.resolve("plain/r"));
        TrainingRecipe large = TrainingRecipe.load(demoWith(dir.resolve("large/r"), "\"objects\": \"large\",")
                .toString());
        assertThat(large.objects()).isEqualTo(ObjectSizes.LARGE);
        assertThat(large.dataset().objects()).isEqualTo(ObjectSizes.LARGE);
        assertThat(large.dataset().trainingClip(5).objects()).isEqualTo(ObjectSizes.LARGE);
        assertThat(large.stageOneFingerprint()).isNotEqualTo(demo.stageOneFingerprint());
        assertThat(large.fingerprint()).isNotEqualTo(demo.fingerprint());
    }

    @Test
    void unknownSizesAreRefused(@TempDir Path dir) throws Exception {
        Path recipe = demoWith(dir, "\"objects\": \"huge\",");
        assertThatThrownBy(() -> TrainingRecipe.load(recipe.toString()))
                .hasMessageContaining("object sizes must be 'standard' or 'large', got 'huge'");
    }

    /** The demo recipe's files copied unchanged into {@code dir}, loaded from there (the name is the folder's). */
    private static TrainingRecipe demoIn(Path dir) throws Exception {
        return TrainingRecipe.load(demoWith(dir, "").toString());
    }

    /** The demo recipe's files in {@code dir}, with {@code setting} added to recipe.json. */
    private static Path demoWith(Path dir, String setting) throws Exception {
        Files.createDirectories(dir);
        for (String f : TrainingRecipe.FILES) {
            try (var in = TrainingRecipe.class.getResourceAsStream("recipes/demo/" + f)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String changed = text.replace("\"frames\": 17,", setting + " \"frames\": 17,");
                if (f.equals("recipe.json") && !setting.isEmpty() && changed.equals(text)) {
                    throw new IllegalStateException("the demo recipe no longer has \"frames\": 17,");
                }
                Files.writeString(dir.resolve(f), f.equals("recipe.json") ? changed : text);
            }
        }
        return dir;
    }
}
