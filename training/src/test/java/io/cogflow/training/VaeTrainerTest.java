package io.cogflow.training;

import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.sampling.SeededNoise;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.training.data.ClipDataset;
import io.cogflow.model.vae.CogVideoXVae;
import io.cogflow.model.vae.VaeConfig;
import io.cogflow.model.vae.VaeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stage 1 on a small VAE: the β-VAE loss falls on a fixed batch of clips, a checkpoint resumes to the same next
 * step, and the written weights load into the inference VAE under their official names.
 */
class VaeTrainerTest {
    private static final String CONFIG = """
            {"block_out_channels": [8, 16], "latent_channels": 4, "layers_per_block": 1, "norm_num_groups": 4,
             "temporal_compression_ratio": 2, "sample_height": 32, "sample_width": 32}""";
    private static final long[] SHAPE = {2, 3, 9, 32, 32};

    private static float[] noise(VaeTrainer t, long seed) {
        float[] n = new float[Math.toIntExact(java.util.Arrays.stream(t.noiseShape()).reduce(1, (a, b) -> a * b))];
        new SeededNoise(seed).fill(n);
        return n;
    }

    @Test
    void lossFallsResumesExactlyAndWeightsLoadForInference(@TempDir Path dir) throws Exception {
        VaeConfig config = VaeConfig.from(ConfigJson.parse(CONFIG));
        ClipBatches clips = new ClipBatches(ClipDataset.standard(), 9, 32, 32);
        ClipDataset data = ClipDataset.standard();
        float[] video = clips.whole(data.trainingClip(0), data.trainingClip(1));
        Path state = dir.resolve("vae-state.safetensors");
        double first;
        double last = 0;
        double afterCheckpoint;
        try (VaeTrainer trainer = VaeTrainer.create(config, SHAPE, 1e-3, 0, 3, AdamW.Hyper.cogVideoX(1e-4),
                SessionOptions.defaults())) {
            first = trainer.step(video, noise(trainer, 0), 3e-3).total();
            for (int i = 1; i < 30; i++) {
                last = trainer.step(video, noise(trainer, i), 3e-3).total();
            }
            trainer.saveState(state);
            afterCheckpoint = trainer.step(video, noise(trainer, 30), 3e-3).total();
            Path weights = dir.resolve("model/vae/diffusion_pytorch_model.safetensors");
            Files.createDirectories(weights.getParent());
            trainer.writeWeights(weights);
            Files.writeString(weights.resolveSibling("config.json"), CONFIG);
        }
        System.out.printf("vae loss %.4f -> %.4f%n", first, last);
        assertThat(last).isLessThan(0.5 * first);

        try (VaeTrainer resumed = VaeTrainer.create(config, SHAPE, 1e-3, 0, 99, AdamW.Hyper.cogVideoX(1e-4),
                SessionOptions.defaults())) {
            resumed.restoreState(state, 30);
            assertThat(resumed.step(video, noise(resumed, 30), 3e-3).total()).isEqualTo(afterCheckpoint);
        }

        // the weights file is in PyTorch layout under diffusers' names: the inference VAE loads it strictly
        try (Checkpoint ckpt = Checkpoint.open(dir.resolve("model/vae/diffusion_pytorch_model.safetensors"))) {
            assertThat(ckpt.names()).contains("encoder.conv_in.conv.weight", "decoder.conv_out.conv.weight");
            assertThat(ckpt.info("encoder.conv_in.conv.weight").shape()).containsExactly(8, 3, 3, 3, 3);
        }
        try (CogVideoXVae vae = CogVideoXVae.load(dir.resolve("model"), VaeOptions.defaults())) {
            assertThat(vae.config()).isEqualTo(config);
        }
    }

    /** The edge term adds to the loss, has gradients (the whole loss still falls) and leaves the other terms alone. */
    @Test
    void theEdgeTermAddsToTheLossAndTrains() {
        VaeConfig config = VaeConfig.from(ConfigJson.parse(CONFIG));
        ClipBatches clips = new ClipBatches(ClipDataset.standard(), 9, 32, 32);
        ClipDataset data = ClipDataset.standard();
        float[] video = clips.whole(data.trainingClip(0), data.trainingClip(1));
        VaeTrainer.Losses plain;
        try (VaeTrainer trainer = VaeTrainer.create(config, SHAPE, 1e-3, 0, 3, AdamW.Hyper.cogVideoX(1e-4),
                SessionOptions.defaults())) {
            plain = trainer.step(video, noise(trainer, 0), 3e-3);
        }
        try (VaeTrainer trainer = VaeTrainer.create(config, SHAPE, 1e-3, 2, 3, AdamW.Hyper.cogVideoX(1e-4),
                SessionOptions.defaults())) {
            VaeTrainer.Losses first = trainer.step(video, noise(trainer, 0), 3e-3);
            // same seed, same weights, same batch: the same reconstruction and KL, plus 2 x the edge error
            assertThat(first.reconstruction()).isCloseTo(plain.reconstruction(), within(1e-6));
            assertThat(first.kl()).isCloseTo(plain.kl(), within(1e-4));
            double edges = (first.total() - plain.total()) / 2;
            assertThat(edges).isPositive();
            double last = first.total();
            for (int i = 1; i < 30; i++) {
                last = trainer.step(video, noise(trainer, i), 3e-3).total();
            }
            System.out.printf("vae loss with edges %.4f -> %.4f (edge error at start %.4f)%n", first.total(), last,
                    edges);
            assertThat(last).isLessThan(0.5 * first.total());
        }
    }

    @Test
    void frameCountsThatDoNotSurviveTheChunkingAreRefused() {
        VaeConfig config = VaeConfig.from(ConfigJson.parse(CONFIG.replace("\"temporal_compression_ratio\": 2",
                "\"temporal_compression_ratio\": 4").replace("[8, 16]", "[8, 8, 16]")));
        assertThatThrownBy(() -> VaeTrainer.create(config, new long[]{1, 3, 5, 32, 32}, 1e-3, 0, 1,
                AdamW.Hyper.cogVideoX(1e-4), SessionOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 + 8k frames");
    }
}
