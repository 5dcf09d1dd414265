package io.cogflow.client.claimcheck;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The names of claim-check objects: {@code <prefix>-<hash>.<extension>}.
 *
 * <p>{@code prefix} is the request id with every character outside {@code [A-Za-z0-9_-]} replaced by {@code _},
 * cut to 48 characters; {@code hash} is the first 16 hex digits (64 bits) of SHA-256 over the UTF-8 request id.
 * A video object's name ({@link #of(String, String, String)}) hashes the content's SHA-256 with the id: a replay
 * after a Flink failover, which makes the same bytes, writes the same name (no duplicate object), and two requests
 * that share an id — a client's duplicate submission with other settings — never overwrite each other's video
 * (docs/limits.md, duplicate request ids). The prefix keeps names readable; the hash keeps ids that sanitize alike ({@code a/b},
 * {@code a_b}, {@code a?b}) apart. No separator or dot survives sanitizing, so a name can never leave the store's
 * directory ({@code ../x} becomes {@code ___x-<hash>.mp4}), and no object name starts with a dot, which keeps
 * them apart from the store's temporary files.
 */
public final class ClaimCheckNames {
    static final int PREFIX_LENGTH = 48;
    static final int HASH_HEX_DIGITS = 16;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,48}-[0-9a-f]{16}\\.[a-z0-9]{1,16}");

    private ClaimCheckNames() {
    }

    /**
     * The name of a video object in a claim-check store: the request id's prefix, and a hash of the id together
     * with the content's SHA-256 (hex).
     */
    public static String of(String requestId, String contentSha256, String extension) {
        Objects.requireNonNull(contentSha256, "contentSha256");
        String name = of(requestId, extension);
        String hash = Sha256.hex((requestId + "\u0000" + contentSha256).getBytes(StandardCharsets.UTF_8))
                .substring(0, HASH_HEX_DIGITS);
        return name.substring(0, name.lastIndexOf('-') + 1) + hash + name.substring(name.lastIndexOf('.'));
    }

    /**
     * A name for the request id alone, of the same form: what a client saves a video under ({@code watch --save}),
     * where one file per id is wanted.
     */
    public static String of(String requestId, String extension) {
        Objects.requireNonNull(requestId, "requestId");
        if (requestId.isEmpty()) {
            throw new IllegalArgumentException("requestId is empty");
        }
        StringBuilder prefix = new StringBuilder();
        requestId.codePoints().limit(PREFIX_LENGTH).forEach(c -> prefix.append(
            (c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_')) ? (char) c : '_'));
        String hash = Sha256.hex(requestId.getBytes(StandardCharsets.UTF_8)).substring(0, HASH_HEX_DIGITS);
        return prefix + "-" + hash + "." + extension(extension);
    }

    /** Whether {@code name} has the form {@link #of} produces (so it is no temporary file, no path). */
    public static boolean isObjectName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    private static String extension(String extension) {
        Objects.requireNonNull(extension, "extension");
        String e = extension.startsWith(".") ? extension.substring(1) : extension;
        if (e.isEmpty() || e.length() > 16 || !e.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) {
            throw new IllegalArgumentException("extension must be 1-16 ASCII letters or digits: '" + extension + "'");
        }
        return e.toLowerCase(Locale.ROOT);
    }
}
