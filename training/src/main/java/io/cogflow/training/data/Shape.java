package io.cogflow.training.data;

import java.util.Locale;

/**
 * The shapes a clip can show. Every word is a whole piece of the demo tokenizer ({@code ▁circle}, {@code ▁square},
 * {@code ▁triangle}, {@code ▁star}), so a caption's shape costs exactly one token.
 *
 * <p>Geometry lives here, in unit coordinates (u, v) ∈ [-1, 1]² with v pointing down (image rows), so the renderer
 * and the judge's templates agree on what each shape looks like.
 */
public enum Shape {
    CIRCLE, SQUARE, TRIANGLE, STAR;

    /** Inner radius of the star relative to the outer one: fat enough to survive 64 × 64 and a VAE round trip. */
    private static final double STAR_INNER = 0.45;
    private static final double[] STAR_X = new double[10];
    private static final double[] STAR_Y = new double[10];

    static {
        for (int k = 0; k < 10; k++) {
            double angle = -Math.PI / 2 + k * Math.PI / 5; // first point straight up
            double r = k % 2 == 0 ? 1 : STAR_INNER;
            STAR_X[k] = r * Math.cos(angle);
            STAR_Y[k] = r * Math.sin(angle);
        }
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the unit shape covers (u, v); the shape's half-extent is 1. Triangle and star point up. */
    boolean contains(double u, double v) {
        return switch (this) {
            case CIRCLE -> u * u + v * v <= 1;
            case SQUARE -> Math.abs(u) <= 1 && Math.abs(v) <= 1;
            // apex at (0, -1), base from (-1, 1) to (1, 1): fills half of its bounding box
            case TRIANGLE -> v >= -1 && v <= 1 && Math.abs(u) <= (v + 1) / 2;
            case STAR -> insideStar(u, v);
        };
    }

    /** Bounding box of the unit shape as {minU, minV, maxU, maxV}; the judge maps a detected box onto it. */
    double[] bounds() {
        if (this != STAR) {
            return new double[] {-1, -1, 1, 1};
        }
        double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int k = 0; k < 10; k++) {
            b[0] = Math.min(b[0], STAR_X[k]);
            b[1] = Math.min(b[1], STAR_Y[k]);
            b[2] = Math.max(b[2], STAR_X[k]);
            b[3] = Math.max(b[3], STAR_Y[k]);
        }
        return b;
    }

    private static boolean insideStar(double u, double v) {
        boolean inside = false; // even–odd ray casting over the ten-vertex outline
        for (int i = 0, j = 9; i < 10; j = i++) {
            if ((STAR_Y[i] > v) != (STAR_Y[j] > v)
                    && u < (STAR_X[j] - STAR_X[i]) * (v - STAR_Y[i]) / (STAR_Y[j] - STAR_Y[i]) + STAR_X[i]) {
                inside = !inside;
            }
        }
        return inside;
    }
}
