package io.cogflow.model.transformer;

import io.cogflow.parity.Comparison;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.testing.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static io.cogflow.model.testing.RandomTensors.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The golden checkpoints on shapes the reference files do not cover. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransformerShapesTest {

    enum Family {
        SINCOS_2B("cogvideox_2b_tiny", 1), ROPE_5B("cogvideox_5b_tiny", 1), SLICE_15("cogvideox15_tiny", 2);

        final String folder;
        final int framesPerPatch;

        Family(String folder, int framesPerPatch) {
            this.folder = folder;
            this.framesPerPatch = framesPerPatch;
        }
    }

    private final Map<Family, TransformerDenoiser> models = new EnumMap<>(Family.class);

    @BeforeAll
    void load() {
        for (Family f : Family.values()) {
            models.put(f, TransformerDenoiser.load(Golden.path(f.folder), DenoiserOptions.defaults()));
        }
    }

    @AfterAll
    void close() {
        models.values().forEach(TransformerDenoiser::close);
    }

    static Stream<Arguments> sweep() {
        List<Arguments> cases = new ArrayList<>();
        int[][] sizes = {{6, 10}, {10, 6}, {14, 4}, {2, 2}};
        for (Family f : Family.values()) {
            for (int batch : new int[]{1, 3}) {
                // 1 and 5 latent frames; CogVideoX1.5 patches 2 frames at once, so 2 and 6 there
                for (int frames : new int[]{1, 5}) {
                    for (int[] hw : sizes) {
                        int textLen = f == Family.SINCOS_2B ? 12 : (hw[0] == 2 ? 3 : 12);
                        cases.add(Arguments.of(f, batch, frames + (f.framesPerPatch - 1), hw[0], hw[1], textLen));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} B={1} F={2} {3}×{4} T={5}")
    @MethodSource("sweep")
    void anyValidShapeGivesAFiniteOutputOfTheLatentShape(Family f, int batch, int frames, int h, int w, int textLen) {
        TransformerDenoiser model = models.get(f);
        Random r = new Random(batch * 1000L + frames * 100L + h * 10L + w);
        HostTensor latents = gaussian(r, batch, frames, model.config().inChannels(), h, w);
        HostTensor text = gaussian(r, batch, textLen, model.config().textEmbedDim());
        long[] t = new long[batch];
        for (int i = 0; i < batch; i++) {
            t[i] = r.nextInt(1000);
        }
        HostTensor out = model.denoise(latents, t, text);
        assertThat(out.shape()).containsExactly(batch, frames, model.config().outChannels(), h, w);
        assertThat(out.allFinite()).isTrue();
        assertThat(maxAbs(out)).isGreaterThan(0);
    }

    @ParameterizedTest
    @MethodSource("families")
    void samplesAtDifferentTimestepsShareABatchWithoutInfluencingEachOther(Family f) {
        TransformerDenoiser model = models.get(f);
        Random r = new Random(7);
        int frames = 2 * f.framesPerPatch;
        HostTensor latents = gaussian(r, 3, frames, 4, 6, 10);
        HostTensor text = gaussian(r, 3, 12, 32);
        long[] t = {999, 500, 3};
        HostTensor batched = model.denoise(latents, t, text);
        for (int i = 0; i < 3; i++) {
            HostTensor alone = model.denoise(slice(latents, i), new long[]{t[i]}, slice(text, i));
            Comparison c = Comparison.of(slice(batched, i), alone);
            assertThat(c.maxAbsError()).as("sample " + i + ": " + c.summary()).isLessThan(1e-5);
        }
        // and the timestep matters: the same sample at another step gives another output
        HostTensor other = model.denoise(slice(latents, 0), new long[]{10}, slice(text, 0));
        assertThat(Comparison.of(other, slice(batched, 0)).maxAbsError()).isGreaterThan(1e-3);
    }

    static Stream<Family> families() {
        return Stream.of(Family.values());
    }

    @Test
    void latentSizesThatDoNotDivideIntoPatchesAreRefusedClearly() {
        TransformerDenoiser model = models.get(Family.ROPE_5B);
        HostTensor text = HostTensor.zeros(1, 12, 32);
        assertThatThrownBy(() -> model.denoise(HostTensor.zeros(1, 1, 4, 9, 8), new long[]{1}, text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiples of patch_size 2").hasMessageContaining("9×8");
        TransformerDenoiser v15 = models.get(Family.SLICE_15);
        assertThatThrownBy(() -> v15.denoise(HostTensor.zeros(1, 3, 4, 8, 8), new long[]{1}, text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of patch_size_t 2");
        assertThatThrownBy(() -> model.denoise(HostTensor.zeros(1, 1, 3, 8, 8), new long[]{1}, text))
                .hasMessageContaining("3 channels");
        assertThatThrownBy(() -> model.denoise(HostTensor.zeros(2, 1, 4, 8, 8), new long[]{1}, text))
                .hasMessageContaining("one timestep per sample");
        assertThatThrownBy(() -> model.denoise(HostTensor.zeros(1, 1, 4, 8, 8), new long[]{1},
                HostTensor.zeros(1, 12, 16))).hasMessageContaining("text embeddings must be [1, T, 32]");
    }

    static HostTensor slice(HostTensor t, int index) {
        long[] shape = t.shape().clone();
        int per = t.data().length / (int) shape[0];
        shape[0] = 1;
        float[] data = new float[per];
        System.arraycopy(t.data(), index * per, data, 0, per);
        return new HostTensor(shape, data);
    }

    static double maxAbs(HostTensor t) {
        double m = 0;
        for (float v : t.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
