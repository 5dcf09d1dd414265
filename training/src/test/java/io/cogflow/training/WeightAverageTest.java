package io.cogflow.training;

import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.sampling.NoiseSchedule;
import io.cogflow.model.sampling.SamplerKind;
import io.cogflow.model.sampling.SchedulerConfig;
import io.cogflow.model.sampling.SeededNoise;
import io.cogflow.model.testing.Golden;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.transformer.TransformerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The weight average on the tiny 2B transformer: the same training steps as a run without it, and written weights
 * that are exactly the moving average, computed here in Java from the raw weights after every step, with the
 * warm-up decay; a resumed run continues the same average.
 */
class WeightAverageTest {
    private static final int B = 2, F = 2, H = 4, W = 4, L = 12, STEPS = 4;
    private static final double DECAY = 0.6;

    @Test
    void writesTheMovingAverageOfTheRawWeights(@TempDir Path dir) throws IOException {
        TransformerConfig c = tiny();
        List<Map<String, float[]>> raw = new ArrayList<>();
        double[] rawLosses = new double[STEPS];
        double[] averagedLosses = new double[STEPS];
        try (TransformerTrainer plain = create(c, 0)) {
            raw.add(weights(plain, dir.resolve("raw0.safetensors")));
            for (int i = 0; i < STEPS; i++) {
                rawLosses[i] = step(plain, c, i);
                raw.add(weights(plain, dir.resolve("raw" + (i + 1) + ".safetensors")));
            }
        }
        Map<String, float[]> averaged;
        try (TransformerTrainer trainer = create(c, DECAY)) {
            assertThat(weights(trainer, dir.resolve("avg0.safetensors")))
                    .as("the average starts at the initial weights").usingRecursiveComparison().isEqualTo(raw.get(0));
            for (int i = 0; i < STEPS; i++) {
                averagedLosses[i] = step(trainer, c, i);
            }
            averaged = weights(trainer, dir.resolve("avg.safetensors"));
        }
        assertThat(averagedLosses).as("keeping an average does not change training").containsExactly(rawLosses);

        Map<String, double[]> expected = new LinkedHashMap<>();
        raw.get(0).forEach((k, v) -> expected.put(k, toDouble(v)));
        for (int t = 1; t <= STEPS; t++) {
            double d = Math.min(DECAY, (1.0 + t) / (10.0 + t));
            for (Map.Entry<String, double[]> e : expected.entrySet()) {
                float[] w = raw.get(t).get(e.getKey());
                double[] a = e.getValue();
                for (int j = 0; j < a.length; j++) {
                    a[j] = d * a[j] + (1 - d) * w[j];
                }
            }
        }
        double moved = 0;
        for (Map.Entry<String, double[]> e : expected.entrySet()) {
            float[] got = averaged.get(e.getKey());
            float[] last = raw.get(STEPS).get(e.getKey());
            for (int j = 0; j < got.length; j++) {
                assertThat((double) got[j]).as(e.getKey() + "[" + j + "]").isCloseTo(e.getValue()[j], within(1e-6));
                moved = Math.max(moved, Math.abs(got[j] - last[j]));
            }
        }
        assertThat(moved).as("the average differs from the last raw weights").isGreaterThan(1e-4);
    }

    @Test
    void aResumedRunContinuesTheSameAverage(@TempDir Path dir) throws IOException {
        TransformerConfig c = tiny();
        Path state = dir.resolve("state.safetensors");
        Map<String, float[]> uninterrupted;
        try (TransformerTrainer trainer = create(c, DECAY)) {
            for (int i = 0; i < STEPS; i++) {
                if (i == 2) {
                    trainer.saveState(state);
                }
                step(trainer, c, i);
            }
            uninterrupted = weights(trainer, dir.resolve("a.safetensors"));
        }
        try (TransformerTrainer resumed = create(c, DECAY)) {
            resumed.restoreState(state, 2);
            for (int i = 2; i < STEPS; i++) {
                step(resumed, c, i);
            }
            assertThat(weights(resumed, dir.resolve("b.safetensors"))).usingRecursiveComparison()
                    .isEqualTo(uninterrupted);
        }
    }

    private static TransformerConfig tiny() {
        return TransformerConfig.load(Golden.path("cogvideox_2b_tiny/config.json"));
    }

    private static TransformerTrainer create(TransformerConfig c, double decay) {
        return TransformerTrainer.create(c, B, F, H, W, L, 42,
                NoiseSchedule.of(SchedulerConfig.cogVideoX(SamplerKind.DDIM, 3.0)), AdamW.Hyper.cogVideoX(1e-4),
                SessionOptions.defaults(), decay);
    }

    /** Step {@code i} of a fixed sequence of batches. */
    private static double step(TransformerTrainer trainer, TransformerConfig c, int i) {
        int latents = B * F * c.inChannels() * H * W;
        return trainer.step(normals(10 + i, latents), normals(30 + i, B * L * c.textEmbedDim()),
                new long[] {100L + 200 * i, 900 - 150L * i}, normals(20 + i, latents), 3e-3);
    }

    private static Map<String, float[]> weights(TransformerTrainer trainer, Path file) throws IOException {
        trainer.writeWeights(file);
        Map<String, float[]> out = new LinkedHashMap<>();
        try (Checkpoint ckpt = Checkpoint.open(file)) {
            for (String name : ckpt.names()) {
                out.put(name, ckpt.readFloats(name));
            }
        }
        return out;
    }

    private static float[] normals(long seed, int n) {
        float[] out = new float[n];
        new SeededNoise(seed).fill(out);
        return out;
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
