package io.cogflow.training.data;

import io.cogflow.model.random.SplitMix64;

/**
 * The seed-drawn, uncaptioned part of a clip: where the shape starts and ends, how big it is, and the gradient.
 * Positions are the centre of the shape's unit box in pixels; {@code size} is its half-extent in pixels. The shape
 * always stays fully inside the frame (with a margin), so the judge never has to reason about clipped shapes.
 */
record ClipLayout(double x0, double y0, double size0, double x1, double y1, double size1,
                  double[] gradientFrom, double[] gradientTo, double gradientAngle) {

    private static final double MARGIN = 1.5;

    static ClipLayout of(ClipSpec spec, int height, int width) {
        SplitMix64 rng = new SplitMix64(spec.seed());
        double small = Math.min(height, width);
        double x0, y0, s0, x1, y1, s1;
        ObjectSizes sizes = spec.objects();
        if (spec.motion().translates()) {
            ObjectSizes.Range range = sizes.travelling();
            double s = small * rng.between(range.min(), range.max());
            boolean horizontal = spec.motion() == Motion.LEFT || spec.motion() == Motion.RIGHT;
            int along = horizontal ? width : height;
            int across = horizontal ? height : width;
            // travel 35–50 % of the frame: large against the judge's noise, varied so speed is not a constant
            // (capped so a large shape on a small frame still fits at both ends with the margin)
            double travel = Math.min(along * rng.between(0.35, 0.50), along - 2 * s - 2 * MARGIN);
            double start = rng.between(s + MARGIN, along - s - MARGIN - travel);
            double end = start + travel;
            if (spec.motion() == Motion.LEFT || spec.motion() == Motion.UP) {
                start = along - start;
                end = along - end;
            }
            double side = rng.between(s + MARGIN, across - s - MARGIN);
            x0 = horizontal ? start : side;
            x1 = horizontal ? end : side;
            y0 = horizontal ? side : start;
            y1 = horizontal ? side : end;
            s0 = s;
            s1 = s;
        } else {
            ObjectSizes.Range littleRange = sizes.little(), bigRange = sizes.big();
            double little = small * rng.between(littleRange.min(), littleRange.max());
            double big = small * rng.between(bigRange.min(), bigRange.max());
            x0 = x1 = rng.between(big + MARGIN, width - big - MARGIN);
            y0 = y1 = rng.between(big + MARGIN, height - big - MARGIN);
            s0 = spec.motion() == Motion.GROWING ? little : big;
            s1 = spec.motion() == Motion.GROWING ? big : little;
        }
        // dim (value ≤ 0.45) and desaturated (0.35) so no gradient pixel is near a palette colour
        double hue = rng.nextDouble();
        double[] from = hsv(hue, 0.35, rng.between(0.08, 0.18));
        double[] to = hsv(hue + rng.between(-0.08, 0.08), 0.35, rng.between(0.35, 0.45));
        double angle = rng.between(0, 2 * Math.PI);
        return new ClipLayout(x0, y0, s0, x1, y1, s1, from, to, angle);
    }

    /** Linear interpolation at clip time t ∈ [0, 1]: {x, y, size}. */
    double[] at(double t) {
        return new double[] {x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, size0 + (size1 - size0) * t};
    }

    private static double[] hsv(double h, double s, double v) {
        h = (h % 1 + 1) % 1 * 6;
        int i = (int) Math.floor(h) % 6;
        double f = h - Math.floor(h);
        double p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
        double[] rgb = switch (i) {
            case 0 -> new double[] {v, t, p};
            case 1 -> new double[] {q, v, p};
            case 2 -> new double[] {p, v, t};
            case 3 -> new double[] {p, q, v};
            case 4 -> new double[] {t, p, v};
            default -> new double[] {v, p, q};
        };
        for (int c = 0; c < 3; c++) {
            rgb[c] *= 255;
        }
        return rgb;
    }
}
