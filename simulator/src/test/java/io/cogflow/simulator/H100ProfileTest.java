package io.cogflow.simulator;

import io.cogflow.model.pipeline.BatchProfile;
import io.cogflow.model.pipeline.VideoSize;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The derived H100 profile parses and its step costs are the anchors' measured forward times. */
class H100ProfileTest {

    static final Path FILE = Path.of("../configs/profiles/h100-cogvideox-2b.json");
    static final VideoSize FULL = VideoSize.parse("720x480x49");
    static final VideoSize SMALL = VideoSize.parse("256x256x17");
    static final VideoSize MIDDLE = VideoSize.parse("480x480x25");

    @Test
    void stepCostsAreTheAnchors() {
        BatchProfile p = BatchProfile.read(FILE);
        assertThat(p.machine()).startsWith("DERIVED, not measured");
        assertThat(p.model()).isEqualTo("CogVideoX-2B");
        assertThat(p.steps()).isEqualTo(50);
        CostModel c = new CostModel(p);
        // one transformer forward with guidance: 2 rows per video (anchors.md)
        assertThat(c.stepMs(FULL, 1)).isCloseTo(641, within(0.01));
        assertThat(c.stepMs(FULL, 4)).isCloseTo(2562, within(0.01));
        assertThat(c.stepMs(SMALL, 1)).isCloseTo(38.1, within(0.01));
        assertThat(c.stepMs(SMALL, 4)).isCloseTo(112, within(0.01));
        assertThat(c.stepMs(SMALL, 16)).isCloseTo(430, within(0.01));
        // tiled decode of one 49x480x720 video; text encoding the stated 20 ms
        assertThat(c.decodeMs(FULL, 1)).isCloseTo(3910, within(0.01));
        assertThat(c.admitMs(FULL, 1)).isCloseTo(20, within(0.01));
        assertThat(c.admitMs(SMALL, 16)).isCloseTo(20, within(0.11));
    }

    @Test
    void theMiddleSizeLiesBetweenTheMeasuredOnes() {
        CostModel c = new CostModel(BatchProfile.read(FILE));
        for (int b : new int[]{1, 4}) {
            assertThat(c.stepMs(MIDDLE, b)).isBetween(c.stepMs(SMALL, b), c.stepMs(FULL, b));
        }
        // per token between the small size's and the full size's (6,526 tokens against 1,506 and 17,776)
        assertThat(c.stepMs(MIDDLE, 1) / 6526).isBetween(38.1 / 1506, 641.0 / 17776);
    }
}
