package io.cogflow.model.vae;

/** Zero padding of a frame's rows and columns, as {@code F.pad} and Conv2d's {@code padding} give it. */
record SpatialPadding(int top, int bottom, int left, int right) {

    /** The same padding on every side. */
    static SpatialPadding all(int p) {
        return new SpatialPadding(p, p, p, p);
    }

    boolean none() {
        return top == 0 && bottom == 0 && left == 0 && right == 0;
    }
}
