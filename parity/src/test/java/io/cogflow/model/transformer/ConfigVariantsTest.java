package io.cogflow.model.transformer;

import io.cogflow.model.testing.RandomTensors;
import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.config.ConfigJson;
import io.cogflow.parity.Comparison;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.RandomWeights;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Config switches the golden checkpoints leave at one value: each variant builds and runs on a non-square
 * latent, and flipping the switch changes the output (so the switch is really wired in).
 */
class ConfigVariantsTest {

    private static final String BASE = "\"num_attention_heads\": 3, \"attention_head_dim\": 16, \"in_channels\": 4, "
            + "\"time_embed_dim\": 24, \"text_embed_dim\": 20, \"num_layers\": 2, \"sample_height\": 8, "
            + "\"sample_width\": 12, \"sample_frames\": 9";

    @ParameterizedTest(name = "{0}: {1} vs {2}")
    @CsvSource(delimiter = '|', value = {
            "2B       | \"norm_elementwise_affine\": true        | \"norm_elementwise_affine\": false",
            "5B       | \"attention_bias\": true                 | \"attention_bias\": false",
            "5B       | \"activation_fn\": \"gelu-approximate\"  | \"activation_fn\": \"gelu\"",
            "2B       | \"flip_sin_to_cos\": true                | \"flip_sin_to_cos\": false",
            "1.5      | \"freq_shift\": 0                        | \"freq_shift\": 1",
            "2B       | \"spatial_interpolation_scale\": 1.875   | \"spatial_interpolation_scale\": 1.0",
            "5B       | \"sample_height\": 8                     | \"sample_height\": 16",
            "1.5      | \"patch_bias\": false                    | \"patch_bias\": true",
    })
    void switchIsWiredIn(String family, String a, String b) {
        HostTensor outA = run(family, a, 2, 4, 8, 12);
        HostTensor outB = run(family, b, 2, 4, 8, 12);
        assertThat(outA.allFinite()).isTrue();
        assertThat(outB.allFinite()).isTrue();
        if (b.contains("patch_bias")) {
            // the 1.5 patch embedding is a Linear and always has its bias: the flag must change nothing
            assertThat(outB.data()).containsExactly(outA.data());
        } else {
            assertThat(Comparison.of(outA, outB).maxAbsError()).isGreaterThan(1e-6);
        }
    }

    @ParameterizedTest(name = "{0} {1} latents {2}×{3}×{4}")
    @CsvSource(delimiter = '|', value = {
            "2B  | \"patch_size\": 1, \"out_channels\": 6         | 2 | 5 | 7",
            "5B  | \"patch_size\": 4, \"out_channels\": 3         | 2 | 12 | 20",
            "1.5 | \"patch_size_t\": 3                            | 6 | 6 | 8",
            "1.5 | \"patch_size_t\": 1, \"num_attention_heads\": 1 | 1 | 10 | 4",
    })
    void patchSizesAndChannelCounts(String family, String extra, int frames, int h, int w) {
        HostTensor out = run(family, extra, frames, h, w, 5);
        TransformerConfig c = config(family, extra);
        assertThat(out.shape()).containsExactly(2, frames, c.outChannels(), h, w);
        assertThat(out.allFinite()).isTrue();
    }

    /** Random matrices, and norm scales and biases away from 1 and 0 so that every tensor matters. */
    private static float[] perturbed(ParameterSpec spec) {
        float[] v = RandomWeights.gaussian(5).apply(spec);
        if (spec.tfShape().length == 1) {
            Random r = new Random(spec.name().hashCode());
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (0.1 * r.nextGaussian());
            }
        }
        return v;
    }

    private static TransformerConfig config(String family, String extra) {
        String familyKeys = switch (family.trim()) {
            case "2B" -> "\"use_rotary_positional_embeddings\": false";
            case "5B" -> "\"use_rotary_positional_embeddings\": true";
            case "1.5" -> "\"use_rotary_positional_embeddings\": true, \"patch_size_t\": 2";
            default -> throw new IllegalArgumentException(family);
        };
        // later keys win in Jackson's tree, so the variant overrides the base and family keys
        return TransformerConfig.from(ConfigJson.parse("{" + BASE + ", " + familyKeys + ", " + extra + "}"));
    }

    private static HostTensor run(String family, String extra, int frames, int h, int w, int textLen) {
        TransformerConfig c = config(family, extra);
        Random r = new Random(11);
        HostTensor latents = RandomTensors.gaussian(r, 2, frames, c.inChannels(), h, w);
        HostTensor text = RandomTensors.gaussian(r, 2, textLen, c.textEmbedDim());
        try (TransformerDenoiser m = TransformerDenoiser.withWeights(c, DenoiserOptions.defaults(),
                ConfigVariantsTest::perturbed)) {
            return m.denoise(latents, new long[]{980, 20}, text);
        }
    }
}
