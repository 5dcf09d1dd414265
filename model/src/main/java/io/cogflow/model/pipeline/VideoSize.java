package io.cogflow.model.pipeline;

import java.util.Locale;

/** A video's pixel size and frame count, as requests state it: {@code WIDTHxHEIGHTxFRAMES}. */
public record VideoSize(int width, int height, int frames) {

    public VideoSize {
        if (width <= 0 || height <= 0 || frames <= 0) {
            throw new IllegalArgumentException("video size must be positive, got " + width + "x" + height + "x"
                    + frames);
        }
    }

    /** Parses {@code 720x480x49} (width × height × frames). */
    public static VideoSize parse(String s) {
        String[] p = s.trim().toLowerCase(Locale.ROOT).split("x");
        if (p.length != 3) {
            throw new IllegalArgumentException("video size must be WIDTHxHEIGHTxFRAMES, e.g. 720x480x49, got '"
                    + s + "'");
        }
        try {
            return new VideoSize(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("video size must be WIDTHxHEIGHTxFRAMES, e.g. 720x480x49, got '"
                    + s + "'");
        }
    }

    @Override
    public String toString() {
        return width + "x" + height + "x" + frames;
    }
}
