package io.cogflow.training.data;

import java.util.Arrays;

/**
 * Reads the captioned attributes back from pixels, to score prompt adherence of generated videos. It assumes only
 * what the captions promise — one shape of one palette colour on a smooth background — so it works on rendered
 * clips exactly and on imperfect generated ones approximately.
 *
 * <ol>
 *   <li><b>Foreground</b>: per frame, pixels far (RGB distance) from a robust plane fit of the background
 *       ({@link BackgroundFit}), which absorbs the gradient so the ramp itself is never foreground.</li>
 *   <li><b>Colour</b>: per-channel median over the clip of the shape's core — foreground pixels at least
 *       {@value #CORE_FRACTION} as far from the background as the farthest ones, which drops the anti-aliased or
 *       blurred rim — then the nearest {@link Colour}.</li>
 *   <li><b>Motion</b>: least-squares slopes over time of the foreground centroid (x, y) and of the half side
 *       √area / 2; each is turned into a total displacement in pixels. Translation moves every edge by Δx (or Δy),
 *       scaling moves every edge by Δ(√area / 2), so the largest of ±Δx, ±Δy, ±Δ(√area / 2) names the motion.</li>
 *   <li><b>Shape</b>: template IoU ({@link ShapeMatcher}) of the outline — the foreground pixels at least
 *       {@value #OUTLINE_FRACTION} as far from the background as the core, the half-contrast line where a blurred or
 *       anti-aliased step edge lies — averaged over the frames where the outline is at least half its largest
 *       area; null when the best template scores below {@value #MIN_SHAPE_IOU} or does not beat
 *       the runner-up by {@value #MIN_SHAPE_MARGIN}.</li>
 *   <li><b>Jump ratio</b>: how evenly the object moves. Per frame, a sub-pixel centroid and half side from each
 *       pixel's coverage (its distance from the background over the core's, at most 1: an anti-aliased or blurred
 *       rim counts in part, so rasterisation does not make the positions jitter); per pair of consecutive frames,
 *       the displacement √(Δx² + Δy² + Δhalf²); the ratio is the largest displacement over the median one. A
 *       rendered clip moves at constant speed (ratio ≈ 1); an object that stands still within a latent group and
 *       then jumps has a ratio well above 2 ({@link Judgement#smooth}).</li>
 * </ol>
 */
public final class ClipJudge {
    /** RGB distance below which a pixel is background regardless of noise: palette colours sit ≥ ~100 away. */
    private static final double MIN_FOREGROUND_DISTANCE = 50;
    /**
     * Colour is read from the core of the shape: foreground pixels at least this fraction as far from the background
     * as the farthest ones. Blurred rims are mixtures with the background and would pull a thin shape's median
     * toward a neighbouring palette colour (orange on white toward yellow).
     */
    static final double CORE_FRACTION = 0.8;
    /**
     * A shape's outline is where the contrast with the background is half the core's. The foreground threshold sits
     * far below that, so a mask taken at it grows a blurred shape by its blur radius on every side: a star's gaps
     * between the points fill in and it reads as a circle, and a faint trail behind a moving object joins it.
     */
    static final double OUTLINE_FRACTION = 0.5;
    static final double MIN_SHAPE_IOU = 0.65;
    static final double MIN_SHAPE_MARGIN = 0.04;
    /** A video glides when no frame-to-frame displacement exceeds this many times the median one. */
    public static final double MAX_JUMP_RATIO = 2;
    /**
     * Displacements are measured against at least this median (pixels per frame): an object that barely moves
     * has no steady motion to keep, and noise over a near-zero median must not read as a jump ratio of 1.
     */
    static final double MIN_MEDIAN_DISPLACEMENT = 0.1;

    private final int frames;
    private final int height;
    private final int width;

    public ClipJudge(int frames, int height, int width) {
        if (frames < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("bad clip size " + frames + " × " + height + " × " + width);
        }
        this.frames = frames;
        this.height = height;
        this.width = width;
    }

    /**
     * Any attribute is null when the pixels do not support a call (no foreground, too few frames, ambiguous shape).
     *
     * @param jumpRatio the largest frame-to-frame displacement over the median one; null unless the object is in
     *                  every frame (and there are at least four)
     */
    public record Judgement(Colour colour, Motion motion, Shape shape, Double jumpRatio) {
        /** The object moves without jumps: readable, and no displacement above {@link #MAX_JUMP_RATIO} × median. */
        public boolean smooth() {
            return jumpRatio != null && jumpRatio <= MAX_JUMP_RATIO;
        }
    }

    /** Judges (frames, height, width, 3) RGB bytes. */
    public Judgement judge(byte[] rgb) {
        int n = height * width;
        if (rgb.length != frames * n * 3) {
            throw new IllegalArgumentException("expected " + frames * n * 3 + " bytes, got " + rgb.length);
        }
        int minArea = Math.max(4, n / 1000); // a handful of pixels is noise, not a shape
        long[][] histograms = new long[3][256];
        double[] cx = new double[frames], cy = new double[frames], half = new double[frames];
        // sub-pixel position and half side from coverage, for the jump ratio
        double[] softX = new double[frames], softY = new double[frames], softHalf = new double[frames];
        boolean[][] masks = new boolean[frames][];
        boolean[][] outlines = new boolean[frames][];
        double[] outlineArea = new double[frames];
        int used = 0;
        for (int f = 0; f < frames; f++) {
            int offset = f * n * 3;
            double[] dist = BackgroundFit.distances(rgb, offset, height, width);
            double threshold = Math.max(MIN_FOREGROUND_DISTANCE, 5 * BackgroundFit.robustSigma(dist));
            boolean[] mask = new boolean[n];
            double sx = 0, sy = 0;
            int count = 0;
            for (int p = 0; p < n; p++) {
                if (dist[p] > threshold) {
                    mask[p] = true;
                    count++;
                    sx += p % width;
                    sy += p / width;
                }
            }
            if (count < minArea) {
                continue;
            }
            double full = percentile(dist, mask, count, 0.95);
            double core = CORE_FRACTION * full;
            double coverage = 0, wx = 0, wy = 0, floor = threshold / 2;
            for (int p = 0; p < n; p++) {
                if (dist[p] > floor) {
                    double c = Math.min(1, dist[p] / full);
                    coverage += c;
                    wx += c * (p % width);
                    wy += c * (p / width);
                }
            }
            softX[f] = wx / coverage;
            softY[f] = wy / coverage;
            softHalf[f] = Math.sqrt(coverage) / 2;
            boolean[] outline = new boolean[n];
            double edge = OUTLINE_FRACTION * full;
            for (int p = 0; p < n; p++) {
                if (mask[p] && dist[p] >= core) {
                    for (int c = 0; c < 3; c++) {
                        histograms[c][rgb[offset + p * 3 + c] & 0xFF]++;
                    }
                }
                if (mask[p] && dist[p] >= edge) {
                    outline[p] = true;
                    outlineArea[f]++;
                }
            }
            outlines[f] = outline;
            masks[f] = mask;
            cx[f] = sx / count;
            cy[f] = sy / count;
            half[f] = Math.sqrt(count) / 2;
            used++;
        }
        if (used == 0) {
            return new Judgement(null, null, null, null);
        }
        Colour colour = Colour.nearest(median(histograms[0]), median(histograms[1]), median(histograms[2]));
        Motion motion = used >= 2 ? motion(masks, cx, cy, half) : null;
        return new Judgement(colour, motion, shape(outlines, outlineArea), jumpRatio(masks, softX, softY, softHalf));
    }

    /** Largest over median displacement between consecutive frames; null unless every frame has the object. */
    private Double jumpRatio(boolean[][] masks, double[] x, double[] y, double[] half) {
        if (frames < 4) {
            return null;
        }
        double[] steps = new double[frames - 1];
        for (int f = 0; f + 1 < frames; f++) {
            if (masks[f] == null || masks[f + 1] == null) {
                return null; // the object vanished: nothing glides
            }
            double dx = x[f + 1] - x[f], dy = y[f + 1] - y[f], dh = half[f + 1] - half[f];
            steps[f] = Math.sqrt(dx * dx + dy * dy + dh * dh);
        }
        double largest = Arrays.stream(steps).max().orElseThrow();
        double[] sorted = steps.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return largest / Math.max(MIN_MEDIAN_DISPLACEMENT, median);
    }

    private Motion motion(boolean[][] masks, double[] cx, double[] cy, double[] half) {
        double span = frames - 1;
        double dx = slope(masks, cx) * span, dy = slope(masks, cy) * span, ds = slope(masks, half) * span;
        double[] evidence = new double[Motion.values().length];
        evidence[Motion.LEFT.ordinal()] = -dx;
        evidence[Motion.RIGHT.ordinal()] = dx;
        evidence[Motion.UP.ordinal()] = -dy;
        evidence[Motion.DOWN.ordinal()] = dy;
        evidence[Motion.GROWING.ordinal()] = ds;
        evidence[Motion.SHRINKING.ordinal()] = -ds;
        int best = 0;
        for (int i = 1; i < evidence.length; i++) {
            if (evidence[i] > evidence[best]) {
                best = i;
            }
        }
        return Motion.values()[best];
    }

    private Shape shape(boolean[][] masks, double[] area) {
        double maxArea = Arrays.stream(area).max().orElse(0);
        double[] total = new double[Shape.values().length];
        int scored = 0;
        for (int f = 0; f < frames; f++) {
            if (masks[f] == null || area[f] < maxArea / 2) {
                continue; // small shapes (start of growing, end of shrinking) are too pixelated to classify
            }
            double[] s = ShapeMatcher.scores(masks[f], height, width);
            if (s == null) {
                continue;
            }
            for (int i = 0; i < s.length; i++) {
                total[i] += s[i];
            }
            scored++;
        }
        if (scored == 0) {
            return null;
        }
        int best = -1, second = -1;
        for (int i = 0; i < total.length; i++) {
            if (best < 0 || total[i] > total[best]) {
                second = best;
                best = i;
            } else if (second < 0 || total[i] > total[second]) {
                second = i;
            }
        }
        double top = total[best] / scored, runnerUp = total[second] / scored;
        return top >= MIN_SHAPE_IOU && top - runnerUp >= MIN_SHAPE_MARGIN ? Shape.values()[best] : null;
    }

    /** Least-squares slope per frame of the values at frames that have a mask. */
    private double slope(boolean[][] masks, double[] values) {
        double st = 0, sv = 0;
        int k = 0;
        for (int f = 0; f < frames; f++) {
            if (masks[f] != null) {
                st += f;
                sv += values[f];
                k++;
            }
        }
        double mt = st / k, mv = sv / k, num = 0, den = 0;
        for (int f = 0; f < frames; f++) {
            if (masks[f] != null) {
                num += (f - mt) * (values[f] - mv);
                den += (f - mt) * (f - mt);
            }
        }
        return den == 0 ? 0 : num / den;
    }

    /** The q-quantile of the distances of the masked pixels. */
    private static double percentile(double[] dist, boolean[] mask, int count, double q) {
        double[] values = new double[count];
        int k = 0;
        for (int p = 0; p < dist.length; p++) {
            if (mask[p]) {
                values[k++] = dist[p];
            }
        }
        Arrays.sort(values);
        return values[(int) Math.min(count - 1, Math.floor(q * count))];
    }

    private static double median(long[] histogram) {
        long total = 0;
        for (long h : histogram) {
            total += h;
        }
        long seen = 0;
        for (int v = 0; v < 256; v++) {
            seen += histogram[v];
            if (seen * 2 >= total) {
                return v;
            }
        }
        return 255;
    }
}
