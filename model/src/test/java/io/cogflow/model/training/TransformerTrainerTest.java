package io.cogflow.model.training;

import io.cogflow.model.sampling.SeededNoise;
import io.cogflow.model.testing.Golden;
import io.cogflow.model.transformer.TransformerConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Overfitting one fixed batch with the tiny 2B transformer: the loss must fall and clipping must hold. */
class TransformerTrainerTest {
    private static final int B = 2, F = 2, H = 4, W = 4, L = 12;

    private static TransformerConfig tiny() {
        return TransformerConfig.load(Golden.path("cogvideox_2b_tiny/config.json"));
    }

    private static float[] normals(long seed, int n, float scale) {
        float[] out = new float[n];
        new SeededNoise(seed).fill(out);
        for (int i = 0; i < n; i++) {
            out[i] *= scale;
        }
        return out;
    }

    @Test
    void lossFallsOnAFixedBatch() {
        TransformerConfig c = tiny();
        int latents = B * F * c.inChannels() * H * W;
        float[] x0 = normals(1, latents, 1f);
        float[] eps = normals(2, latents, 1f);
        float[] text = normals(3, B * L * c.textEmbedDim(), 1f);
        long[] t = {250, 750};
        List<Double> losses = new ArrayList<>();
        try (TransformerTrainer trainer = TransformerTrainer.create(c, B, F, H, W, L, 42)) {
            for (int i = 0; i < 40; i++) {
                double loss = trainer.step(x0, text, t, eps, 1e-3);
                assertThat(loss).as("step %d", i).isFinite();
                losses.add(loss);
            }
        }
        System.out.printf("loss %.4f -> %.4f (min %.4f)%n", losses.get(0), losses.get(39),
                losses.stream().mapToDouble(d -> d).min().orElseThrow());
        assertThat(losses.get(39)).isLessThan(0.5 * losses.get(0));
    }

    @Test
    void largeGradientsAreClippedToGlobalNormOne() {
        TransformerConfig c = tiny();
        int latents = B * F * c.inChannels() * H * W;
        // targets ~100× the usual scale make the gradient norm far above the clip threshold
        float[] x0 = normals(4, latents, 100f);
        float[] eps = normals(5, latents, 100f);
        float[] text = normals(6, B * L * c.textEmbedDim(), 1f);
        try (TransformerTrainer trainer = TransformerTrainer.create(c, B, F, H, W, L, 7)) {
            for (int i = 0; i < 3; i++) {
                trainer.step(x0, text, new long[]{100, 900}, eps, 1e-3);
                assertThat(trainer.lastGlobalNorm()).isGreaterThan(10);
                assertThat(trainer.lastClippedNorm()).isLessThanOrEqualTo(1.0 + 1e-5).isGreaterThan(0.999);
            }
        }
    }
}
