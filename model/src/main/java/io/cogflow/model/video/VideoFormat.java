package io.cogflow.model.video;

import java.util.Arrays;
import java.util.Locale;

/** The encodings a generated video can be delivered in. */
public enum VideoFormat {
    /** H.264 (yuv420p) in an MP4 container. */
    MP4("video/mp4", "mp4"),
    /** Animated GIF, looping forever, one 256-colour palette per video. */
    GIF("image/gif", "gif"),
    /** One PNG showing evenly sampled frames in a grid, for quick looks. */
    PNG_SHEET("image/png", "png");

    private final String mimeType;
    private final String extension;

    VideoFormat(String mimeType, String extension) {
        this.mimeType = mimeType;
        this.extension = extension;
    }

    public String mimeType() {
        return mimeType;
    }

    /** File extension without the dot. */
    public String extension() {
        return extension;
    }

    /** Case-insensitive; accepts the constant name with '-' or '_' ({@code png-sheet}, {@code PNG_SHEET}). */
    public static VideoFormat parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("video format is null; known: " + known());
        }
        String key = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (VideoFormat f : values()) {
            if (f.name().equals(key)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown video format '" + s + "', known: " + known());
    }

    /** The format a file extension names ({@code png} is the contact sheet), else {@link #parse} of it. */
    public static VideoFormat forExtension(String extension) {
        for (VideoFormat f : values()) {
            if (f.extension.equalsIgnoreCase(extension)) {
                return f;
            }
        }
        return parse(extension);
    }

    private static String known() {
        return Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList()
                .toString();
    }
}
