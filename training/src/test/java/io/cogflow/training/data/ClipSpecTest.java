package io.cogflow.training.data;

import io.cogflow.model.testing.Golden;
import io.cogflow.model.tokenizer.T5Tokenizer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Caption template and vocabulary. */
class ClipSpecTest {

    @Test
    void captionFollowsTheTemplate() {
        assertThat(new ClipSpec(Shape.CIRCLE, Colour.RED, Motion.LEFT, Background.BLACK, 1).caption())
                .isEqualTo("a red circle moving left on a black background");
        assertThat(new ClipSpec(Shape.STAR, Colour.CYAN, Motion.SHRINKING, Background.GRADIENT, 1).caption())
                .isEqualTo("a cyan star shrinking on a gradient background");
    }

    @Test
    void shapeColourAndMotionWordsAreWholeTokenizerPieces() {
        T5Tokenizer tokenizer = T5Tokenizer.load(Golden.path("spm_tiny/spiece.model"));
        for (Shape s : Shape.values()) {
            assertThat(tokenizer.pieces(s.word())).containsExactly("▁" + s.word());
        }
        for (Colour c : Colour.values()) {
            assertThat(tokenizer.pieces(c.word())).containsExactly("▁" + c.word());
        }
        for (Motion m : Motion.values()) {
            assertThat(tokenizer.pieces(m.phrase())).hasSize(m.phrase().split(" ").length);
        }
        // no caption falls back to <unk>
        ClipSpec spec = new ClipSpec(Shape.TRIANGLE, Colour.PURPLE, Motion.UP, Background.GRAY, 3);
        assertThat(tokenizer.ids(spec.caption())).doesNotContain(tokenizer.unkId());
        // "gray" and "gradient" are not pieces of the demo vocabulary; they spell out without <unk>
        assertThat(tokenizer.pieces(Background.BLACK.phrase())).containsExactly("▁a", "▁black", "▁b", "ack", "g", "round");
    }

    @Test
    void everyCaptionIsAtMostEighteenPiecesWithoutUnknowns() {
        T5Tokenizer tokenizer = T5Tokenizer.load(Golden.path("spm_tiny/spiece.model"));
        int longest = 0;
        for (Shape s : Shape.values()) {
            for (Colour c : Colour.values()) {
                for (Motion m : Motion.values()) {
                    for (Background b : Background.values()) {
                        int[] ids = tokenizer.ids(new ClipSpec(s, c, m, b, 0).caption());
                        assertThat(ids).doesNotContain(tokenizer.unkId());
                        longest = Math.max(longest, ids.length);
                    }
                }
            }
        }
        System.out.println("longest caption: " + longest + " pieces");
        // "gradient" spells out in 7 pieces, so the demo model's text length must be >= 19 with EOS
        assertThat(longest).isEqualTo(18);
    }
}
