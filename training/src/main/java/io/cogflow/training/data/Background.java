package io.cogflow.training.data;

import java.util.Locale;

/**
 * Backgrounds. "black" is a whole tokenizer piece (and "white"); "gray", "gradient" and "background" split into a
 * few pieces, which is fine: the golden caption "... on a black background." is tokenized the same way.
 * GRADIENT is a dim, desaturated linear ramp whose hue and direction come from the clip's seed.
 */
public enum Background {
    BLACK, WHITE, GRAY, GRADIENT;

    public String phrase() {
        return "a " + name().toLowerCase(Locale.ROOT) + " background";
    }
}
