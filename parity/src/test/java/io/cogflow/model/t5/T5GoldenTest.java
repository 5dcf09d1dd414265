package io.cogflow.model.t5;

import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.checkpoint.SafetensorsFile;
import io.cogflow.parity.Comparison;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.parity.T5Parity;
import io.cogflow.model.testing.Golden;
import io.cogflow.model.tf.SessionOptions;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The T5 v1.1 encoder against the transformers reference outputs (t5_tiny). */
class T5GoldenTest {

    @Test
    void lastHiddenStateMatchesReference() {
        T5Parity.Report report = T5Parity.run(Golden.path("t5_tiny"), Golden.path("t5_tiny/golden.safetensors"),
                SessionOptions.defaults());
        Comparison c = report.comparison();
        System.out.println("t5_tiny parity: " + c.summary() + ", " + report.parameters() + " parameters");
        assertThat(c.passed()).as(c.summary()).isTrue();
        assertThat(c.relativeL2()).isLessThan(1e-5);
        assertThat(report.output().shape()).containsExactly(2, 12, 32);
    }

    /** Checks the test-side double-precision reference itself, which the variant tests rely on. */
    @Test
    void theNaiveTestReferenceReproducesTheGoldenOutputToo() {
        T5Config c = T5Config.load(Golden.path("t5_tiny"));
        HostTensor expected;
        long[] ids;
        try (SafetensorsFile g = SafetensorsFile.open(Golden.path("t5_tiny/golden.safetensors"))) {
            expected = new HostTensor(g.info("last_hidden_state").shape(), g.readFloats("last_hidden_state"));
            ids = g.readLongs("input_ids");
        }
        float[] ours = new float[expected.data().length];
        try (Checkpoint ckpt = Checkpoint.open(Golden.path("t5_tiny"))) {
            NaiveT5 naive = new NaiveT5(c, ckpt);
            for (int b = 0; b < 2; b++) {
                double[][] out = naive.encode(Arrays.copyOfRange(ids, b * 12, b * 12 + 12));
                for (int t = 0; t < 12; t++) {
                    for (int k = 0; k < 32; k++) {
                        ours[(b * 12 + t) * 32 + k] = (float) out[t][k];
                    }
                }
            }
        }
        Comparison cmp = Comparison.of(new HostTensor(expected.shape(), ours), expected);
        assertThat(cmp.passed()).as(cmp.summary()).isTrue();
    }

    @Test
    void everyModuleOutputMatchesReference() {
        Map<String, Comparison> layers = T5Parity.intermediates(Golden.path("t5_tiny"),
                Golden.path("t5_tiny/golden.safetensors"),
                Golden.path("intermediates/t5_tiny/intermediates.safetensors"), SessionOptions.defaults());
        assertThat(layers).containsKeys("encoder.embed_tokens", "encoder.block.0.0", "encoder.block.0.1",
                "encoder.block.1.0", "encoder.block.1.1", "encoder.final_layer_norm");
        layers.forEach((name, c) -> {
            System.out.println("t5_tiny " + name + ": " + c.summary());
            assertThat(c.passed()).as(name + ": " + c.summary()).isTrue();
        });
    }
}
