package io.cogflow.training.evaluation;

import io.cogflow.training.data.Background;
import io.cogflow.training.data.ClipSpec;
import io.cogflow.training.data.Colour;
import io.cogflow.training.data.Motion;
import io.cogflow.training.data.ObjectSizes;
import io.cogflow.training.data.Shape;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CaptionRankingTest {
    private static final ClipSpec CLIP = new ClipSpec(Shape.STAR, Colour.BLUE, Motion.values()[0],
            Background.values()[0], ObjectSizes.LARGE, 42);

    /** The clip's own caption first, then each other value of each attribute once, one word away from it. */
    @Test
    void candidatesChangeExactlyOneWordOfTheCaption() {
        List<ClipSpec> all = CaptionRanking.candidates(CLIP, true);
        assertThat(all).hasSize(1 + (Colour.values().length - 1) + (Shape.values().length - 1)
                + (Motion.values().length - 1));
        assertThat(all.get(0)).isEqualTo(CLIP);
        assertThat(new HashSet<>(all.stream().map(ClipSpec::caption).toList())).hasSize(all.size());
        List<String> own = Arrays.asList(CLIP.caption().split(" "));
        for (ClipSpec c : all.subList(1, all.size())) {
            assertThat(c.background()).isEqualTo(CLIP.background());
            assertThat(c.seed()).isEqualTo(CLIP.seed());
            int changed = (c.colour() != CLIP.colour() ? 1 : 0) + (c.shape() != CLIP.shape() ? 1 : 0)
                    + (c.motion() != CLIP.motion() ? 1 : 0);
            assertThat(changed).as(c.caption()).isEqualTo(1);
            List<String> words = Arrays.asList(c.caption().split(" "));
            if (c.motion() == CLIP.motion()) {
                assertThat(words).hasSameSizeAs(own);
                int differing = 0;
                for (int i = 0; i < words.size(); i++) {
                    differing += words.get(i).equals(own.get(i)) ? 0 : 1;
                }
                assertThat(differing).as(c.caption()).isEqualTo(1);
            }
        }
    }

    /** A still image shows no motion, so no caption varies it. */
    @Test
    void stillImagesAreNotAskedForTheirMotion() {
        List<ClipSpec> still = CaptionRanking.candidates(CLIP, false);
        assertThat(still).hasSize(1 + (Colour.values().length - 1) + (Shape.values().length - 1));
        assertThat(still).allMatch(c -> c.motion() == CLIP.motion());
    }
}
