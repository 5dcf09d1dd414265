package io.cogflow.training.data;

import java.util.Locale;

/**
 * How big the drawn shapes are, as half-extents in fractions of the frame's shorter side. Part of what a dataset
 * is: a model trains on one of these and its round trips and video-to-video runs are judged on the same.
 *
 * <p>{@code STANDARD} is the dataset the first demo models were trained on: translating shapes 13–19 pixels across at
 * 64 × 64, which an 8×-compressed latent holds in 2–3 latent pixels. {@code LARGE} draws translating shapes about
 * 1.4× as wide (19–26 pixels at 64 × 64) and the small end of a growing or shrinking one 1.3× as wide: a star's
 * points and a triangle's corners then span more latent pixels, and the difference between two shapes is a larger
 * part of what a pixel loss sees. The ranges still leave a translating shape room to travel half the frame at
 * 32 × 32, the smallest clip the renderer draws.
 */
public enum ObjectSizes {
    STANDARD(new Range(0.10, 0.15), new Range(0.06, 0.09), new Range(0.22, 0.28)),
    LARGE(new Range(0.15, 0.20), new Range(0.08, 0.12), new Range(0.22, 0.28));

    /** A half-extent range, as fractions of the frame's shorter side. */
    record Range(double min, double max) {
    }

    private final Range travelling, little, big;

    ObjectSizes(Range travelling, Range little, Range big) {
        this.travelling = travelling;
        this.little = little;
        this.big = big;
    }

    /** Half-extent range of a shape that translates. */
    Range travelling() {
        return travelling;
    }

    /** Half-extent range of a growing shape's first frame (a shrinking shape's last). */
    Range little() {
        return little;
    }

    /** Half-extent range of a growing shape's last frame (a shrinking shape's first). */
    Range big() {
        return big;
    }

    /** The word used in recipes and on the command line: {@code standard} or {@code large}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code standard} or {@code large}; anything else is refused with the accepted words. */
    public static ObjectSizes parse(String word) {
        for (ObjectSizes o : values()) {
            if (o.word().equals(word)) {
                return o;
            }
        }
        throw new IllegalArgumentException("object sizes must be 'standard' or 'large', got '" + word + "'");
    }
}
