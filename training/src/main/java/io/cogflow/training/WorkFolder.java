package io.cogflow.training;

import java.nio.file.Path;

/**
 * Where a training run keeps what it writes, so that an invocation finds what an earlier one left:
 * <pre>
 * work/
 *   model/                 the diffusers-layout result the exporter reads (one folder per component)
 *   state/recipe.json      which recipe the folder belongs to
 *   state/STAGE.safetensors, STAGE.json       a stage's last checkpoint and its step count
 *   state/STAGE.done.json  a finished stage's metrics
 *   latents.safetensors    the training clips encoded once by the frozen VAE
 *   latents-HxW.safetensors  the same clips rendered at a progressive recipe's low resolution, encoded alike
 *   report.json            what the last invocation did
 * </pre>
 * A stage's name is also its component's folder in {@code model/}.
 */
record WorkFolder(Path root) {

    Path model() {
        return root.resolve("model");
    }

    Path state() {
        return root.resolve("state");
    }

    Path recipe() {
        return state().resolve("recipe.json");
    }

    /** A stage's weights and optimiser moments at its last checkpoint. */
    Path checkpoint(String stage) {
        return state().resolve(stage + ".safetensors");
    }

    /** How many steps {@link #checkpoint} holds and the training seconds they took. */
    Path checkpointMeta(String stage) {
        return state().resolve(stage + ".json");
    }

    Path doneMarker(String stage) {
        return state().resolve(stage + ".done.json");
    }

    Path latents() {
        return root.resolve("latents.safetensors");
    }

    Path latents(int height, int width) {
        return root.resolve("latents-" + height + "x" + width + ".safetensors");
    }

    Path report() {
        return root.resolve("report.json");
    }

    Path config(String component) {
        return model().resolve(component).resolve("config.json");
    }

    /** A trained component's weights (diffusers names them alike for the VAE and the transformer). */
    Path weights(String component) {
        return model().resolve(component).resolve("diffusion_pytorch_model.safetensors");
    }

    Path schedulerConfig() {
        return model().resolve("scheduler/scheduler_config.json");
    }

    Path textEncoder() {
        return model().resolve("text_encoder");
    }

    Path textEncoderWeights() {
        return textEncoder().resolve("model.safetensors");
    }

    Path tokenizer() {
        return model().resolve("tokenizer");
    }
}
