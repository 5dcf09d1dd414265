package io.cogflow.training;

import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.checkpoint.SafetensorsWriter;
import io.cogflow.model.random.SplitMix64;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.vae.CogVideoXVae;
import io.cogflow.model.vae.LatentDistribution;
import io.cogflow.model.vae.VaeConfig;
import io.cogflow.model.vae.VaeOptions;
import io.cogflow.model.vae.VaeParameters;
import io.cogflow.model.config.ConfigJson;
import io.cogflow.training.data.ClipDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Folding per-channel latent scales into a VAE's weights: the folded encoder's posterior is the old one scaled per
 * channel, and the folded decoder turns those scaled latents into the same frames — through the real chunked
 * encode and decode, on a VAE with seeded weights.
 */
class LatentChannelFoldTest {
    private static final double[] SCALES = {0.5, 2.0, 3.25, 0.2};

    @Test
    void theFoldedVaeEncodesScaledLatentsAndDecodesThemToTheSameFrames(@TempDir Path dir) throws Exception {
        VaeConfig config = writeSeededVae(dir);
        assertThat(config.latentChannels()).isEqualTo(SCALES.length);
        HostTensor video = new HostTensor(new long[]{1, 3, 9, 32, 32},
                new ClipBatches(ClipDataset.standard(), 9, 32, 32).whole(ClipDataset.standard().trainingClip(11)));
        LatentDistribution before;
        HostTensor framesBefore;
        try (CogVideoXVae vae = CogVideoXVae.load(dir, VaeOptions.defaults())) {
            before = vae.encode(video);
            framesBefore = vae.decode(before.mode());
        }
        try (Checkpoint ckpt = Checkpoint.open(dir.resolve("diffusion_pytorch_model.safetensors"))) {
            // conv_in and the spatial norms' conv_y / conv_b of the mid block, three up blocks and norm_out
            assertThat(LatentChannelFold.decoderInputs(ckpt)).contains(LatentChannelFold.DECODER_IN_WEIGHT)
                    .contains("decoder.norm_out.conv_y.conv.weight", "decoder.norm_out.conv_b.conv.weight")
                    .allMatch(n -> n.startsWith("decoder."));
        }

        LatentChannelFold.apply(dir.resolve("diffusion_pytorch_model.safetensors"), SCALES);

        try (CogVideoXVae vae = CogVideoXVae.load(dir, VaeOptions.defaults())) {
            LatentDistribution after = vae.encode(video);
            int perChannel = (int) (before.mean().data().length / SCALES.length);
            double largest = 0;
            for (int i = 0; i < before.mean().data().length; i++) {
                double s = SCALES[i / perChannel];
                double expected = before.mean().data()[i] * s;
                assertThat((double) after.mean().data()[i]).isCloseTo(expected, within(1e-4 * Math.max(1, s)));
                largest = Math.max(largest, Math.abs(expected));
                assertThat((double) after.logvar().data()[i]).isCloseTo(
                        expectedLogvar(before.logvar().data()[i], s), within(1e-4));
            }
            assertThat(largest).as("the test latents are not all zero").isGreaterThan(0.01);
            HostTensor framesAfter = vae.decode(after.mode());
            double diff = 0;
            double spread = 0;
            for (int i = 0; i < framesBefore.data().length; i++) {
                diff = Math.max(diff, Math.abs(framesBefore.data()[i] - framesAfter.data()[i]));
                spread = Math.max(spread, Math.abs(framesBefore.data()[i] - framesBefore.data()[0]));
            }
            assertThat(spread).as("the decoded frames vary").isGreaterThan(1e-3);
            assertThat(diff).isLessThan(1e-4);

            // a scale left unfolded in the decoder would show: decoding the old latents now gives other frames
            HostTensor wrong = vae.decode(before.mode());
            double wrongDiff = 0;
            for (int i = 0; i < framesBefore.data().length; i++) {
                wrongDiff = Math.max(wrongDiff, Math.abs(framesBefore.data()[i] - wrong.data()[i]));
            }
            assertThat(wrongDiff).isGreaterThan(100 * diff + 1e-4);
        }
    }

    @Test
    void refusesScalesThatCannotBeFolded(@TempDir Path dir) throws Exception {
        writeSeededVae(dir);
        Path file = dir.resolve("diffusion_pytorch_model.safetensors");
        assertThatThrownBy(() -> LatentChannelFold.apply(file, new double[]{1, 0, 1, 1}))
                .hasMessageContaining("positive and finite");
        assertThatThrownBy(() -> LatentChannelFold.apply(file, new double[]{1, 1}))
                .hasMessageContaining("expected 2 along axis").hasMessageContaining("latent channels");
        Path notAVae = dir.resolve("other.safetensors");
        new SafetensorsWriter().f32("encoder.conv_out.conv.weight", new long[]{2, 1}, 1f, 2f).write(notAVae);
        assertThatThrownBy(() -> LatentChannelFold.apply(notAVae, new double[]{1}))
                .hasMessageContaining("not a CogVideoX VAE");
    }

    /** The clamp of the posterior's log-variance (diffusers clamps it to [−30, 20]) does not bite here. */
    private static double expectedLogvar(double logvar, double scale) {
        return logvar + 2 * Math.log(scale);
    }

    /** The smoke recipe's VAE (4 latent channels) with seeded weights, written as a diffusers folder. */
    private static VaeConfig writeSeededVae(Path dir) throws Exception {
        String json;
        try (InputStream in = TrainingRecipe.class.getResourceAsStream("recipes/smoke/vae.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("config.json"), json);
        VaeConfig config = VaeConfig.from(ConfigJson.parse(json));
        SplitMix64 rng = new SplitMix64(5);
        SafetensorsWriter out = new SafetensorsWriter();
        for (ParameterSpec spec : VaeParameters.specs(config)) {
            float[] v = new float[Math.toIntExact(spec.elementCount())];
            boolean norm = spec.name().contains("norm") && !spec.name().contains("conv");
            for (int i = 0; i < v.length; i++) {
                // GroupNorm gains near 1, everything else small, so activations neither vanish nor explode
                v[i] = (float) (norm && spec.name().endsWith("weight") ? 1 + 0.2 * (rng.nextDouble() - 0.5)
                        : 0.5 * (rng.nextDouble() - 0.5));
            }
            out.f32(spec.name(), spec.torchShape(), v);
        }
        out.write(dir.resolve("diffusion_pytorch_model.safetensors"));
        return config;
    }
}
