package io.cogflow.training.data;

import java.util.Locale;

/**
 * Foreground colours. All words are whole pieces of the demo tokenizer. White is left out on purpose: it would
 * vanish on the white background. The seven values are saturated and at least ~90 apart in RGB, so the judge can
 * take the nearest palette entry even from a blurry generated video, and none of them resembles a background
 * (black, white, mid gray, or the dim desaturated gradients).
 */
public enum Colour {
    RED(230, 40, 40),
    GREEN(40, 190, 60),
    BLUE(40, 90, 240),
    YELLOW(245, 225, 40),
    PURPLE(160, 60, 210),
    ORANGE(250, 140, 20),
    CYAN(40, 215, 225);

    private final int r;
    private final int g;
    private final int b;

    Colour(int r, int g, int b) {
        this.r = r;
        this.g = g;
        this.b = b;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A fresh {r, g, b} array, 0..255. */
    public int[] rgb() {
        return new int[] {r, g, b};
    }

    /** The palette entry nearest (Euclidean RGB) to the given colour. */
    public static Colour nearest(double red, double green, double blue) {
        Colour best = null;
        double bestDistance = Double.MAX_VALUE;
        for (Colour c : values()) {
            double d = sq(red - c.r) + sq(green - c.g) + sq(blue - c.b);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    private static double sq(double x) {
        return x * x;
    }
}
