package io.cogflow.training;

import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.t5.T5Config;
import io.cogflow.model.t5.T5TextEncoder;
import io.cogflow.model.tf.RandomWeights;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.tokenizer.SentencePieceModel;
import io.cogflow.model.tokenizer.T5Tokenizer;
import io.cogflow.training.data.ClipDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frozen text encoder must keep each word's feature mostly its own, so captions stay compositional. */
class FrozenTextEncoderInitTest {
    private static final int LEN = 24;
    private static T5Tokenizer tokenizer;
    private static T5Config config;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream spm = ClipDataset.class.getResourceAsStream("captions-spiece.model");
             InputStream json = TrainingRecipe.class.getResourceAsStream("recipes/demo/text_encoder.json")) {
            tokenizer = T5Tokenizer.of(SentencePieceModel.parse(spm.readAllBytes(), "captions-spiece.model"));
            config = T5Config.from(ConfigJson.parse(new String(json.readAllBytes(), StandardCharsets.UTF_8)));
        }
    }

    @Test
    void swappingOneWordLeavesTheOtherWordsFeaturesNearlyUnchanged() {
        double[] changes = changes(FrozenTextEncoderInit.of(7, 0.25));
        // word 4 ("left" → "right") changes completely; "a red circle moving" before it barely
        assertTrue(changes[4] > 1.0, "the swapped word's feature changes: " + changes[4]);
        for (int p = 0; p < 4; p++) {
            assertTrue(changes[p] < 0.25, "position " + p + " changed by " + changes[p]);
        }
    }

    @Test
    void fanInScaledEmbeddingsMakeEveryPositionMostlyContext() {
        // the failure the init exists to avoid: tiny embeddings, so the unchanged word "red" changes with "left"
        double[] changes = changes(RandomWeights.gaussian(7));
        assertTrue(changes[1] > 0.5, "unchanged word changed by only " + changes[1]);
    }

    @Test
    void contextScaleZeroMakesTheEncoderAPerTokenLookup() {
        double[] changes = changes(FrozenTextEncoderInit.of(7, 0));
        for (int p = 0; p < 4; p++) {
            assertEquals(0, changes[p], 1e-6, "position " + p);
        }
    }

    /** Relative change of each position's output feature when "left" becomes "right" (token 4). */
    private static double[] changes(Function<io.cogflow.model.checkpoint.ParameterSpec, float[]> init) {
        String a = "a red circle moving left on a black background";
        String b = "a red circle moving right on a black background";
        assertEquals(tokenizer.pieces(a).size(), tokenizer.pieces(b).size());
        try (T5TextEncoder encoder = T5TextEncoder.withWeights(config, SessionOptions.defaults(), init)) {
            float[] ea = encoder.encode(new long[][]{tokenizer.encode(a, LEN)}).data();
            float[] eb = encoder.encode(new long[][]{tokenizer.encode(b, LEN)}).data();
            int d = ea.length / LEN;
            double[] out = new double[LEN];
            for (int p = 0; p < LEN; p++) {
                double diff = 0, norm = 0;
                for (int k = p * d; k < (p + 1) * d; k++) {
                    diff += (ea[k] - eb[k]) * (ea[k] - eb[k]);
                    norm += ea[k] * ea[k];
                }
                out[p] = Math.sqrt(diff / norm);
            }
            return out;
        }
    }
}
