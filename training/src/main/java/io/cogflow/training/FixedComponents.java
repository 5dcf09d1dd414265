package io.cogflow.training;

import io.cogflow.model.checkpoint.SafetensorsWriter;
import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.random.SplitMix64;
import io.cogflow.model.t5.T5Config;
import io.cogflow.model.t5.T5Parameters;
import io.cogflow.training.data.ClipDataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The parts of the model no stage trains, written into the model folder before training: the scheduler config,
 * the caption tokenizer and the frozen text encoder.
 */
final class FixedComponents {
    private FixedComponents() {
    }

    static void write(WorkFolder work, TrainingRecipe recipe) throws IOException {
        AtomicFiles.write(work.schedulerConfig(), recipe.schedulerConfig());
        AtomicFiles.write(work.textEncoder().resolve("config.json"), recipe.textEncoderConfig());
        Path tokenizer = work.tokenizer().resolve("spiece.model");
        if (!Files.exists(tokenizer)) {
            Files.createDirectories(tokenizer.getParent());
            try (InputStream in = ClipDataset.class.getResourceAsStream("captions-spiece.model")) {
                Files.copy(in, tokenizer);
            }
        }
        Path t5 = work.textEncoderWeights();
        if (!Files.exists(t5)) {
            // frozen: the encoder keeps its seeded initial weights (docs/training.md explains the choice)
            T5Config config = T5Config.from(ConfigJson.parse(recipe.textEncoderConfig()));
            var init = FrozenTextEncoderInit.of(SplitMix64.mix(recipe.seed() ^ 0x7435L), recipe.textContextScale());
            SafetensorsWriter out = new SafetensorsWriter();
            for (var spec : T5Parameters.specs(config)) {
                out.f32(spec.name(), spec.torchShape(), spec.layout().toTorch(init.apply(spec), spec.torchShape()));
            }
            AtomicFiles.write(t5, out::write);
        }
    }
}
