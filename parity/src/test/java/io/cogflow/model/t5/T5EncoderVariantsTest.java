package io.cogflow.model.t5;

import io.cogflow.parity.Comparison;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.SessionOptions;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Configs and call shapes the golden file does not cover, against a plain double-precision reference. */
class T5EncoderVariantsTest {

    private static long[][] ids(Random r, int batch, int len, int vocab) {
        long[][] ids = new long[batch][len];
        for (long[] row : ids) {
            for (int t = 0; t < len; t++) {
                row[t] = r.nextInt(vocab);
            }
        }
        return ids;
    }

    private static void assertMatchesReference(T5Config c, int batch, int... lengths) {
        NaiveT5 ref = new NaiveT5(c, 7);
        Random r = new Random(3);
        try (T5TextEncoder enc = T5TextEncoder.withWeights(c, SessionOptions.defaults(), ref.tfWeights())) {
            for (int len : lengths) {
                long[][] ids = ids(r, batch, len, c.vocabSize());
                HostTensor out = enc.encode(ids);
                assertThat(out.shape()).containsExactly(batch, len, c.dModel());
                float[] expected = new float[out.data().length];
                for (int b = 0; b < batch; b++) {
                    double[][] e = ref.encode(ids[b]);
                    for (int t = 0; t < len; t++) {
                        for (int k = 0; k < c.dModel(); k++) {
                            expected[(b * len + t) * c.dModel() + k] = (float) e[t][k];
                        }
                    }
                }
                Comparison cmp = Comparison.of(out, new HostTensor(out.shape(), expected));
                assertThat(cmp.passed()).as(c + " L=" + len + ": " + cmp.summary()).isTrue();
            }
        }
    }

    @Test
    void gatedGeluWithHeadWidthUnrelatedToModelWidth() {
        // 3 heads × d_kv 5 = 15 ≠ d_model 12; lengths below, at and well beyond max distance
        T5Config c = new T5Config(50, 12, 5, 20, 3, 3, 6, 7, 1e-6, "gated-gelu", "gelu_new", true);
        assertMatchesReference(c, 2, 1, 7, 23);
    }

    @Test
    void gatedSiluAndLargerEps() {
        T5Config c = new T5Config(40, 16, 8, 24, 2, 5, 16, 12, 1e-3, "gated-silu", "silu", true);
        assertMatchesReference(c, 3, 9, 30);
    }

    @Test
    void originalT5ReluAndExactGelu() {
        assertMatchesReference(new T5Config(30, 8, 4, 16, 2, 2, 10, 9, 1e-6, "relu", "relu", false), 1, 13);
        assertMatchesReference(new T5Config(30, 8, 4, 16, 1, 2, 32, 128, 1e-6, "gated-gelu", "gelu", true), 2, 6);
    }

    @Test
    void eachRowOfABatchEncodesAsItWouldAlone() {
        T5Config c = new T5Config(64, 16, 4, 32, 2, 4, 8, 20, 1e-6, "gated-gelu", "gelu_new", true);
        NaiveT5 ref = new NaiveT5(c, 11);
        Random r = new Random(5);
        try (T5TextEncoder enc = T5TextEncoder.withWeights(c, SessionOptions.defaults(), ref.tfWeights())) {
            for (int len : new int[]{1, 10, 26}) {
                long[][] ids = ids(r, 4, len, c.vocabSize());
                ids[3] = new long[len]; // an all-padding row, attended like any other
                ids[3][0] = 1;
                HostTensor all = enc.encode(ids);
                int rowSize = len * c.dModel();
                for (int b = 0; b < ids.length; b++) {
                    HostTensor alone = enc.encode(new long[][]{ids[b]});
                    HostTensor row = new HostTensor(new long[]{1, len, c.dModel()},
                            Arrays.copyOfRange(all.data(), b * rowSize, (b + 1) * rowSize));
                    Comparison cmp = Comparison.of(row, alone);
                    assertThat(cmp.passed()).as("row " + b + " L=" + len + ": " + cmp.summary()).isTrue();
                    assertThat(cmp.maxAbsError()).isLessThan(1e-5 * cmp.maxAbsReference() + 1e-6);
                }
            }
        }
    }

    @Test
    void tensorLevelCallAndErrors() {
        T5Config c = new T5Config(20, 8, 4, 16, 1, 2, 8, 20, 1e-6, "gated-gelu", "gelu_new", true);
        NaiveT5 ref = new NaiveT5(c, 2);
        try (T5TextEncoder enc = T5TextEncoder.withWeights(c, SessionOptions.defaults(), ref.tfWeights())) {
            long[][] ids = {{1, 2, 3}, {4, 5, 6}};
            HostTensor host = enc.encode(ids);
            try (TInt64 t = TInt64.tensorOf(Shape.of(2, 3), DataBuffers.of(new long[]{1, 2, 3, 4, 5, 6}, true, false));
                 TFloat32 out = enc.encode(t)) {
                assertThat(out.shape().asArray()).containsExactly(2, 3, 8);
                float[] data = new float[48];
                out.asRawTensor().data().asFloats().read(data);
                assertThat(data).containsExactly(host.data());
            }
            assertThatThrownBy(() -> enc.encode(new long[][]{{1, 20}})).hasMessageContaining("token id 20")
                    .hasMessageContaining("[0, 20)");
            assertThatThrownBy(() -> enc.encode(new long[][]{{1, 2}, {3}})).hasMessageContaining("equal lengths");
            assertThatThrownBy(() -> enc.encode(new long[][]{{}})).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
