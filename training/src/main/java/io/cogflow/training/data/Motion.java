package io.cogflow.training.data;

/**
 * What the shape does over the clip. "moving", "left", "right", "up", "down", "growing" and "shrinking" are all
 * whole pieces of the demo tokenizer.
 */
public enum Motion {
    LEFT("moving left"),
    RIGHT("moving right"),
    UP("moving up"),
    DOWN("moving down"),
    GROWING("growing"),
    SHRINKING("shrinking");

    private final String phrase;

    Motion(String phrase) {
        this.phrase = phrase;
    }

    public String phrase() {
        return phrase;
    }

    /** Whether the shape translates (true) or scales in place (false). */
    boolean translates() {
        return this != GROWING && this != SHRINKING;
    }
}
