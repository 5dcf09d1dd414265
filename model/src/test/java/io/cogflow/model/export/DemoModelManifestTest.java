package io.cogflow.model.export;

import io.cogflow.model.training.TrainingRecipe;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundled demo model: it verifies, and its manifest names the recipe that made it rather than a folder. */
class DemoModelManifestTest {

    @Test
    void theShippedDemoModelVerifiesAndRecordsTheRecipeNameNotABuildMachinePath() {
        Path demo = Path.of(System.getProperty("cogflow.root", "..")).resolve("model/demo-model");
        ModelManifest m = ModelManifest.readVerified(demo);
        // what cogflow train --recipe demo --export writes today
        assertThat(m.source()).isEqualTo(TrainingRecipe.load("demo").modelName()).isEqualTo("cogflow-demo");
        assertThat(m.files()).containsKeys("saved_model.pb", "assets/spiece.model");
    }
}
