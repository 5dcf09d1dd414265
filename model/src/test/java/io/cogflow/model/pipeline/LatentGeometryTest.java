package io.cogflow.model.pipeline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatentGeometryTest {
    @Test
    void cogVideoXSizesMapToTheirLatents() {
        LatentGeometry g = LatentGeometry.of(VideoSize.parse("720x480x49"), 8, 4, 2, 1);
        assertThat(new int[]{g.latentFrames(), g.paddedFrames(), g.latentHeight(), g.latentWidth()})
                .containsExactly(13, 13, 60, 90);
        // CogVideoX1.5: 81 frames → 21 latent frames, padded to 22 for the temporal patch of 2
        LatentGeometry g15 = LatentGeometry.of(VideoSize.parse("1360x768x81"), 8, 4, 2, 2);
        assertThat(g15.paddedFrames()).isEqualTo(22);
        assertThat(g15.extraFrames()).isEqualTo(1);
    }

    @Test
    void sizesBreakingTheRulesAreRefusedWithTheRule() {
        assertThatThrownBy(() -> LatentGeometry.of(VideoSize.parse("72x64x9"), 8, 4, 2, 1))
                .hasMessageContaining("multiples of 16");
        assertThatThrownBy(() -> LatentGeometry.of(VideoSize.parse("64x64x10"), 8, 4, 2, 1))
                .hasMessageContaining("4k+1");
        assertThatThrownBy(() -> VideoSize.parse("64x64")).hasMessageContaining("WIDTHxHEIGHTxFRAMES");
    }
}
