package io.cogflow.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Binds a work folder to the recipe that trains in it, so a run never resumes from another recipe's checkpoints.
 * Another stage-1 fingerprint is refused; the same stage 1 with other stage-2 settings keeps the VAE and latents
 * and starts stage 2 again.
 */
final class RecipeBinding {
    private RecipeBinding() {
    }

    static void bind(WorkFolder work, TrainingRecipe recipe, PrintStream log) throws IOException {
        Path f = work.recipe();
        if (Files.exists(f)) {
            JsonNode n = AtomicFiles.readJson(f);
            String stageOne = n.path("stage_one_fingerprint").asText();
            if (!stageOne.equals(recipe.stageOneFingerprint())) {
                throw new IllegalArgumentException(work.root() + " holds a run of another recipe ("
                        + n.path("recipe").asText() + ", fingerprint " + stageOne
                        + "); use a new work folder or delete it");
            }
            if (n.path("fingerprint").asText().equals(recipe.fingerprint())) {
                return;
            }
            log.println("stage-2 settings changed: keeping the VAE and latents, training the transformer again");
            forgetStageTwo(work);
        }
        ObjectNode n = AtomicFiles.JSON.createObjectNode();
        n.put("recipe", recipe.name());
        n.put("fingerprint", recipe.fingerprint());
        n.put("stage_one_fingerprint", recipe.stageOneFingerprint());
        AtomicFiles.writeJson(f, n);
    }

    private static void forgetStageTwo(WorkFolder work) throws IOException {
        String stage = TransformerStage.NAME;
        for (Path p : List.of(work.checkpoint(stage), work.checkpointMeta(stage), work.doneMarker(stage),
                work.weights(stage), work.textEncoderWeights() /* its init is a stage-2 setting */,
                work.config(stage))) {
            Files.deleteIfExists(p);
        }
    }
}
