package io.cogflow.training.data;

import java.util.Objects;

/**
 * Everything that determines a clip: the captioned attributes plus a seed for the uncaptioned ones (start
 * position, size, speed, gradient hue and direction).
 */
public record ClipSpec(Shape shape, Colour colour, Motion motion, Background background, long seed) {

    public ClipSpec {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(motion, "motion");
        Objects.requireNonNull(background, "background");
    }

    /** The single caption template: "a {colour} {shape} {motion} on {background}", lower case, no punctuation. */
    public String caption() {
        return "a " + colour.word() + " " + shape.word() + " " + motion.phrase() + " on " + background.phrase();
    }
}
