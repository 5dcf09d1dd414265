package io.cogflow.model.video;

/** The frame-rate argument every encoder takes. */
final class Fps {
    private Fps() {
    }

    static void check(int fps) {
        if (fps <= 0 || fps > 240) {
            throw new IllegalArgumentException("fps must be in 1..240, got " + fps);
        }
    }
}
