package io.cogflow.model.vae;

import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.testing.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.cogflow.model.vae.VaeChunkingTest.gaussian;
import static io.cogflow.model.vae.VaeChunkingTest.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Spatial tiling: the reference's tile grid, crops and linear blends, checked against untiled tile decodes. */
class VaeTilingTest {
    /** 32-px tiles (4 latents) advancing 24 px (3 latents), blended over 8 px. */
    private static final VaeTiling TILES = new VaeTiling(32, 32, 0.25, 0.25);
    private static CogVideoXVae plain;
    private static CogVideoXVae tiled;

    @BeforeAll
    static void load() {
        plain = CogVideoXVae.load(Golden.path("vae_tiny"), VaeOptions.defaults());
        tiled = CogVideoXVae.load(Golden.path("vae_tiny"), VaeOptions.defaults().withTiling(TILES));
    }

    @AfterAll
    static void close() {
        plain.close();
        tiled.close();
    }

    @Test
    void theReferenceGridForCogVideoXFrames() {
        VaeConfig c = VaeConfig.from(io.cogflow.model.config.ConfigJson.parse("{}"));
        TilePlan p = TilePlan.forDecode(VaeTiling.reference(c), c.spatialScale(), 60, 90);
        assertThat(p.rowStarts).containsExactly(0, 25, 50);
        assertThat(p.columnStarts).containsExactly(0, 36, 72);
        assertThat(new int[]{p.tileInHeight, p.tileInWidth, p.blendHeight, p.blendWidth, p.limitHeight,
                p.limitWidth}).containsExactly(30, 45, 40, 72, 200, 288);
        TilePlan e = TilePlan.forEncode(VaeTiling.reference(c), c.spatialScale(), 480, 720);
        assertThat(e.rowStarts).containsExactly(0, 200, 400);
        assertThat(new int[]{e.blendHeight, e.blendWidth, e.limitHeight, e.limitWidth})
                .containsExactly(5, 9, 25, 36);
    }

    @Test
    void inconsistentTilingIsRefused() {
        // the tiny config's reference tiles (32 px, 1/6) advance 3 latents = 24 px but keep 27 px
        VaeConfig c = plain.config();
        assertThatThrownBy(() -> TilePlan.forDecode(VaeTiling.reference(c), 8, 8, 8))
                .hasMessageContaining("inconsistent");
    }

    @Test
    void framesWithinOneTileAreNotTiled() {
        HostTensor z = gaussian(21, 1, 4, 3, 4, 4);
        assertThat(tiled.decode(z)).isEqualTo(plain.decode(z));
    }

    @Test
    void tilesAreDecodedSeparatelyAndBlendedLinearly() {
        HostTensor z = gaussian(22, 1, 4, 3, 7, 7);
        HostTensor out = tiled.decode(z);
        assertThat(out.shape()).containsExactly(1, 3, 9, 56, 56);
        // tiles start at latents 0 and 3; the first is never blended, the second only over its first 8 px
        HostTensor first = plain.decode(VideoTensors.slice(VideoTensors.slice(z, 3, 0, 4), 4, 0, 4));
        HostTensor right = plain.decode(VideoTensors.slice(VideoTensors.slice(z, 3, 0, 4), 4, 3, 7));
        HostTensor crop = VideoTensors.slice(VideoTensors.slice(out, 3, 0, 24), 4, 0, 24);
        assertThat(crop).isEqualTo(VideoTensors.slice(VideoTensors.slice(first, 3, 0, 24), 4, 0, 24));
        HostTensor rightKept = VideoTensors.slice(VideoTensors.slice(out, 3, 0, 24), 4, 32, 48);
        assertThat(maxAbsDiff(rightKept, VideoTensors.slice(VideoTensors.slice(right, 3, 0, 24), 4, 8, 24)))
                .isZero();
        for (int k = 0; k < 8; k++) {
            HostTensor mixed = VideoTensors.slice(VideoTensors.slice(out, 3, 0, 24), 4, 24 + k, 25 + k);
            HostTensor a = VideoTensors.slice(VideoTensors.slice(first, 3, 0, 24), 4, 24 + k, 25 + k);
            HostTensor b = VideoTensors.slice(VideoTensors.slice(right, 3, 0, 24), 4, k, k + 1);
            float wb = k / 8f;
            for (int i = 0; i < mixed.data().length; i++) {
                assertThat(mixed.data()[i]).isCloseTo(a.data()[i] * (1 - wb) + b.data()[i] * wb,
                        org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void tiledDecodingStaysCloseToUntiled() {
        HostTensor z = gaussian(23, 1, 4, 5, 7, 7);
        HostTensor a = tiled.decode(z);
        HostTensor b = plain.decode(z);
        assertThat(a.shape()).isEqualTo(b.shape());
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.data().length; i++) {
            num += Math.pow(a.data()[i] - b.data()[i], 2);
            den += Math.pow(b.data()[i], 2);
        }
        // each tile sees less context and its own GroupNorm statistics, so this is approximate by design
        assertThat(Math.sqrt(num / den)).isLessThan(0.5);
    }

    @Test
    void tiledEncodingCoversTheFrame() {
        try (CogVideoXVae enc = CogVideoXVae.load(Golden.path("vae_tiny"),
                VaeOptions.defaults().withTiling(new VaeTiling(32, 32, 0.25, 0.25)))) {
            LatentDistribution d = enc.encode(gaussian(24, 1, 3, 9, 56, 56));
            assertThat(d.mean().shape()).containsExactly(1, 4, 3, 7, 7);
            assertThat(d.mean().allFinite()).isTrue();
        }
    }
}
