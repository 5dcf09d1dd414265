package io.cogflow.training;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The smoke recipe's files copied into a folder, for tests that load it with one setting added. */
final class SmokeRecipeFiles {
    private SmokeRecipeFiles() {
    }

    /**
     * The smoke recipe's files in {@code dir}, with {@code setting} (e.g. {@code "objects": "large",}) added to
     * recipe.json; an empty setting copies them unchanged. A recipe's name is its folder's.
     */
    static Path with(Path dir, String setting) throws Exception {
        Files.createDirectories(dir);
        for (String f : TrainingRecipe.FILES) {
            try (InputStream in = TrainingRecipe.class.getResourceAsStream("recipes/smoke/" + f)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                Files.writeString(dir.resolve(f), f.equals("recipe.json")
                        ? text.replace("\"seed\": 7,", "\"seed\": 7, " + setting) : text);
            }
        }
        assertThat(Files.readString(dir.resolve("recipe.json"))).contains(setting);
        return dir;
    }
}
