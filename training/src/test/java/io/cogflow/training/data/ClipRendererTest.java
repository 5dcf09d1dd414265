package io.cogflow.training.data;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Determinism, value ranges, and that the drawn shape does what the caption says. */
class ClipRendererTest {
    private static final int T = 17, H = 64, W = 64;
    private final ClipRenderer renderer = new ClipRenderer(T, H, W);

    @Test
    void sameSpecGivesIdenticalPixelsAndAnotherSeedDoesNot() {
        ClipSpec spec = new ClipSpec(Shape.STAR, Colour.ORANGE, Motion.DOWN, Background.GRADIENT, 42);
        assertThat(new ClipRenderer(T, H, W).render(spec)).containsExactly(renderer.render(spec));
        assertThat(new ClipRenderer(T, H, W).renderRgb(spec)).containsExactly(renderer.renderRgb(spec));
        ClipSpec other = new ClipSpec(Shape.STAR, Colour.ORANGE, Motion.DOWN, Background.GRADIENT, 43);
        assertThat(renderer.renderRgb(other)).isNotEqualTo(renderer.renderRgb(spec));
    }

    @Test
    void floatsAreTheBytesInTheVaeRangeFrameMajor() {
        ClipSpec spec = new ClipSpec(Shape.CIRCLE, Colour.YELLOW, Motion.GROWING, Background.WHITE, 7);
        float[] f = renderer.render(spec);
        byte[] b = renderer.renderRgb(spec);
        assertThat(f).hasSize(T * 3 * H * W);
        assertThat(b).hasSize(T * H * W * 3);
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : f) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isGreaterThanOrEqualTo(-1f);
        assertThat(max).isEqualTo(1f); // the white background
        // frame 5, channel 2 (blue), pixel (y=10, x=20)
        int t = 5, c = 2, y = 10, x = 20;
        assertThat(f[((t * 3 + c) * H + y) * W + x])
                .isEqualTo((b[((t * H + y) * W + x) * 3 + c] & 0xFF) / 127.5f - 1f);
    }

    @Test
    void shapeMovesInTheStatedDirection() {
        for (Motion m : new Motion[] {Motion.LEFT, Motion.RIGHT, Motion.UP, Motion.DOWN}) {
            for (long seed = 0; seed < 5; seed++) {
                byte[] rgb = renderer.renderRgb(new ClipSpec(Shape.SQUARE, Colour.GREEN, m, Background.BLACK, seed));
                double[] first = centroidAndArea(rgb, 0), last = centroidAndArea(rgb, T - 1);
                double dx = last[0] - first[0], dy = last[1] - first[1];
                double expectedX = m == Motion.LEFT ? -1 : m == Motion.RIGHT ? 1 : 0;
                double expectedY = m == Motion.UP ? -1 : m == Motion.DOWN ? 1 : 0;
                // at least a third of the frame along the axis, nothing across it, constant size
                assertThat(dx * expectedX + dy * expectedY).as(m + " seed " + seed).isGreaterThan(W / 3.0);
                assertThat(Math.abs(dx * expectedY + dy * expectedX)).isLessThan(0.5);
                assertThat(last[2]).isCloseTo(first[2], org.assertj.core.data.Percentage.withPercentage(5));
            }
        }
    }

    @Test
    void shapeGrowsOrShrinksInPlace() {
        for (long seed = 0; seed < 5; seed++) {
            byte[] grow = renderer.renderRgb(new ClipSpec(Shape.CIRCLE, Colour.RED, Motion.GROWING, Background.BLACK, seed));
            byte[] shrink = renderer.renderRgb(new ClipSpec(Shape.CIRCLE, Colour.RED, Motion.SHRINKING, Background.BLACK, seed));
            double[] g0 = centroidAndArea(grow, 0), g1 = centroidAndArea(grow, T - 1);
            double[] s0 = centroidAndArea(shrink, 0), s1 = centroidAndArea(shrink, T - 1);
            assertThat(g1[2]).isGreaterThan(4 * g0[2]);
            assertThat(s0[2]).isGreaterThan(4 * s1[2]);
            assertThat(Math.hypot(g1[0] - g0[0], g1[1] - g0[1])).isLessThan(1.0);
        }
    }

    /**
     * Large objects: the same stream of clips (captions, backgrounds, seeds), translating shapes about 1.4× as wide,
     * and every shape inside the frame in every frame — also at 32 × 32, the smallest frame, where the large range
     * leaves the least room to travel.
     */
    @Test
    void largeObjectsAreWiderAndStayInsideTheFrame() {
        ClipDataset standard = ClipDataset.standard(), large = ClipDataset.of(ObjectSizes.LARGE);
        double standardArea = 0, largeArea = 0;
        for (int i = 0; i < 200; i++) {
            ClipSpec s = standard.trainingClip(i), l = large.trainingClip(i);
            assertThat(l.caption()).isEqualTo(s.caption());
            assertThat(l.seed()).isEqualTo(s.seed());
            assertThat(l.objects()).isEqualTo(ObjectSizes.LARGE);
            if (s.motion().translates()) {
                ClipSpec black = new ClipSpec(s.shape(), s.colour(), s.motion(), Background.BLACK, s.seed());
                ClipSpec blackLarge = new ClipSpec(l.shape(), l.colour(), l.motion(), Background.BLACK,
                        ObjectSizes.LARGE, l.seed());
                standardArea += centroidAndArea(renderer.renderRgb(black), 0)[2];
                largeArea += centroidAndArea(renderer.renderRgb(blackLarge), 0)[2];
            }
        }
        // half-extent ranges 0.10-0.15 and 0.15-0.20 of the side: area about (0.175 / 0.125)^2 = 1.96 times
        assertThat(largeArea / standardArea).isBetween(1.7, 2.3);
        for (int[] size : new int[][] {{17, 32, 32}, {17, 64, 64}, {9, 32, 48}}) {
            ClipRenderer r = new ClipRenderer(size[0], size[1], size[2]);
            for (int i = 0; i < 300; i++) {
                ClipSpec l = large.trainingClip(10_000 + i);
                byte[] rgb = r.renderRgb(new ClipSpec(l.shape(), l.colour(), l.motion(), Background.BLACK,
                        ObjectSizes.LARGE, l.seed()));
                for (int f = 0; f < size[0]; f += size[0] - 1) {
                    assertThat(touchesBorder(rgb, f, size[1], size[2])).as("%s at %dx%d, frame %d", l.caption(),
                            size[2], size[1], f).isFalse();
                }
            }
        }
    }

    @Test
    void supportsOtherSizesAndRejectsTinyOnes() {
        ClipSpec spec = new ClipSpec(Shape.TRIANGLE, Colour.BLUE, Motion.LEFT, Background.GRAY, 5);
        assertThat(new ClipRenderer(2, 32, 48).renderRgb(spec)).hasSize(2 * 32 * 48 * 3);
        assertThat(new ClipRenderer(17, 128, 128).render(spec)).hasSize(17 * 3 * 128 * 128);
        assertThatThrownBy(() -> new ClipRenderer(1, 64, 64)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClipRenderer(17, 16, 64)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Whether any pixel of the frame's outermost rows or columns is not black. */
    private static boolean touchesBorder(byte[] rgb, int frame, int h, int w) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (y != 0 && y != h - 1 && x != 0 && x != w - 1) {
                    continue;
                }
                int i = ((frame * h + y) * w + x) * 3;
                if ((rgb[i] | rgb[i + 1] | rgb[i + 2]) != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Coverage-weighted centroid and area of the non-black pixels (black background). */
    private static double[] centroidAndArea(byte[] rgb, int frame) {
        double sx = 0, sy = 0, area = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int i = ((frame * H + y) * W + x) * 3;
                double w = Math.max(rgb[i] & 0xFF, Math.max(rgb[i + 1] & 0xFF, rgb[i + 2] & 0xFF)) / 255.0;
                sx += w * x;
                sy += w * y;
                area += w;
            }
        }
        return new double[] {sx / area, sy / area, area};
    }
}
