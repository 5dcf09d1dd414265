package io.cogflow.client.claimcheck;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Claim-check references on a file system this host mounts ({@code file:///shared/results/…}): the store of a
 * single machine or a shared volume. Only names the store writes are read ({@link ClaimCheckNames}), so a forged
 * reference cannot make a consumer copy an arbitrary file.
 */
public final class LocalVideoFetcher implements VideoFetcher {
    @Override
    public byte[] fetch(URI uri) throws IOException {
        String scheme = uri.getScheme();
        if (scheme == null || !scheme.toLowerCase(Locale.ROOT).equals("file")) {
            throw new IOException("cannot fetch " + uri + ": only file: references are read without a fetcher for "
                + "their store (pass a VideoFetcher for " + scheme + ":)");
        }
        Path path = Path.of(uri);
        if (!ClaimCheckNames.isObjectName(path.getFileName().toString())) {
            throw new IllegalArgumentException("not a claim-check object URI: " + uri);
        }
        return Files.readAllBytes(path);
    }
}
