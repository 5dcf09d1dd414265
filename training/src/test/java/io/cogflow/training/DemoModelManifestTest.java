package io.cogflow.training;

import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.export.ExportedModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundled demo model: it loads, and its manifest names the recipe that made it rather than a folder. */
class DemoModelManifestTest {

    @Test
    void theShippedDemoModelLoadsAndRecordsTheRecipeNameNotABuildMachinePath() {
        Path demo = Path.of(System.getProperty("cogflow.root", "..")).resolve("model/demo-model");
        // loading checks every file against the manifest's SHA-256 (the manifest itself is not among them)
        try (ExportedModel m = ExportedModel.load(demo, SessionOptions.defaults())) {
            // what cogflow train --recipe demo --export writes today
            assertThat(m.manifest().source()).isEqualTo(TrainingRecipe.load("demo").modelName())
                    .isEqualTo("cogflow-demo");
            assertThat(m.manifest().files()).containsKeys("saved_model.pb", "assets/spiece.model");
        }
    }
}
