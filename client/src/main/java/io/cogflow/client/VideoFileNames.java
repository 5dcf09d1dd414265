package io.cogflow.client;

import io.cogflow.client.claimcheck.ClaimCheckNames;

import java.util.regex.Pattern;

/**
 * The file name a saved video gets from its request id. Request ids come from whoever submitted them, so the name
 * must never be a path: a plain id ({@code req-1}) keeps its readable name ({@code req-1.mp4}); any other id
 * ({@code ../../x}, {@code /etc/passwd}, ids with {@code /}, {@code \}, control characters, a leading dot, or
 * longer than 100 characters) gets the claim-check store's sanitised name ({@link ClaimCheckNames}), letters,
 * digits, {@code _} and {@code -} plus a hash of the id that keeps ids which sanitise alike apart.
 *
 * <p>A plain id whose name would look like a sanitised one ({@code ___x-0123456789abcdef}) is sanitised too, so
 * no submitter can pick an id that lands on another request's file.
 */
public final class VideoFileNames {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");

    private VideoFileNames() {
    }

    /** {@code <id>.<extension>} for a plain id, the sanitised claim-check name otherwise; never a path. */
    public static String of(String requestId, String extension) {
        String plain = requestId + "." + extension;
        if (PLAIN.matcher(requestId).matches() && !ClaimCheckNames.isObjectName(plain)) {
            return plain;
        }
        return ClaimCheckNames.of(requestId, extension);
    }
}
