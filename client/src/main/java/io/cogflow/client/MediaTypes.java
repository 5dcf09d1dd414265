package io.cogflow.client;

import java.util.Map;

/** File extensions of the MIME types the wire contract names for {@code Video.mime_type}. */
public final class MediaTypes {
    private static final Map<String, String> EXTENSIONS =
        Map.of("video/mp4", "mp4", "image/gif", "gif", "image/png", "png");

    private MediaTypes() {
    }

    /** The extension without the dot; {@code bin} for a type a newer producer may add. */
    public static String extension(String mimeType) {
        return EXTENSIONS.getOrDefault(mimeType, "bin");
    }
}
