package io.cogflow.model.video;

/**
 * Decoded RGB frames of one video: frame-major, row-major, interleaved RGB bytes (f, y, x, c), values 0..255
 * (read them with {@code & 0xFF}).
 */
public record VideoFrames(int frames, int height, int width, byte[] rgb) {

    public VideoFrames {
        if (frames <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("a video needs at least one frame of at least 1×1 pixels, got "
                    + frames + " frames of " + height + "×" + width + " (height×width)");
        }
        if (rgb == null) {
            throw new IllegalArgumentException("rgb is null");
        }
        long expected = (long) frames * height * width * 3;
        if (rgb.length != expected) {
            throw new IllegalArgumentException("rgb has " + rgb.length + " bytes, but " + frames + " frames of "
                    + height + "×" + width + " RGB need " + expected);
        }
    }

    /** [0, 1] floats in (f, y, x, c) order → bytes, round(clamp(x, 0, 1) · 255); NaN becomes 0. */
    public static VideoFrames fromFloats(int frames, int height, int width, float[] rgb01) {
        if (rgb01 == null) {
            throw new IllegalArgumentException("rgb01 is null");
        }
        byte[] b = new byte[rgb01.length];
        for (int i = 0; i < b.length; i++) {
            float v = rgb01[i];
            // the comparison form also sends NaN to 0, where Math.max/min would keep it
            float c = v > 0f ? (v < 1f ? v : 1f) : 0f;
            b[i] = (byte) Math.round(c * 255f);
        }
        return new VideoFrames(frames, height, width, b);
    }

    /** Bytes of one frame. */
    public int frameBytes() {
        return height * width * 3;
    }

    /** Offset of frame f's first byte in {@link #rgb()}. */
    public int frameOffset(int f) {
        return f * frameBytes();
    }
}
