package io.cogflow.training.data;

import java.util.Objects;

/**
 * Everything that determines a clip: the captioned attributes, the dataset's object sizes, and a seed for the
 * uncaptioned rest (start position, size within the range, speed, gradient hue and direction).
 */
public record ClipSpec(Shape shape, Colour colour, Motion motion, Background background, ObjectSizes objects,
                       long seed) {

    public ClipSpec {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(motion, "motion");
        Objects.requireNonNull(background, "background");
        Objects.requireNonNull(objects, "objects");
    }

    /** A clip of the standard object sizes. */
    public ClipSpec(Shape shape, Colour colour, Motion motion, Background background, long seed) {
        this(shape, colour, motion, background, ObjectSizes.STANDARD, seed);
    }

    /** The single caption template: "a {colour} {shape} {motion} on {background}", lower case, no punctuation. */
    public String caption() {
        return "a " + colour.word() + " " + shape.word() + " " + motion.phrase() + " on " + background.phrase();
    }
}
