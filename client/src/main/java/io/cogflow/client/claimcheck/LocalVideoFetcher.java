package io.cogflow.client.claimcheck;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Claim-check references on a file system this host mounts ({@code file:///shared/results/…}): the store of a
 * single machine or a shared volume. A result is data from the results topic, so its URI is not trusted: only
 * objects lying directly in one of the configured store directories and named as the store names them
 * ({@link ClaimCheckNames}) are read, so a forged reference ({@code file:///etc/…}, {@code file:///home/x/.ssh/…},
 * or a lookalike name elsewhere) cannot make a consumer copy a file of its host.
 */
public final class LocalVideoFetcher implements VideoFetcher {
    private final List<Path> stores;

    /**
     * @param stores the claim-check store directories to read from, as {@code file:} URIs or plain absolute
     *               paths — the job's {@code results.claim_check_uri}; none: every reference is refused
     */
    public LocalVideoFetcher(List<URI> stores) {
        this.stores = Objects.requireNonNull(stores, "stores").stream().map(LocalVideoFetcher::directory).toList();
    }

    @Override
    public byte[] fetch(URI uri) throws IOException {
        String scheme = uri.getScheme();
        if (scheme == null || !scheme.toLowerCase(Locale.ROOT).equals("file")) {
            throw new IOException("cannot fetch " + uri + ": only file: references are read without a fetcher for "
                + "their store (pass a VideoFetcher for " + scheme + ":)");
        }
        Path path = Path.of(uri.normalize()).normalize();
        if (path.getFileName() == null || !ClaimCheckNames.isObjectName(path.getFileName().toString())) {
            throw new IllegalArgumentException("not a claim-check object URI: " + uri);
        }
        if (!stores.contains(path.getParent())) {
            throw new IllegalArgumentException("refusing " + uri + ": not in a configured claim-check store "
                + (stores.isEmpty() ? "(none configured)" : stores.stream().map(Path::toUri).toList()));
        }
        return Files.readAllBytes(path);
    }

    private static Path directory(URI store) {
        if (store.getScheme() == null) {
            return Path.of(store.getPath()).toAbsolutePath().normalize();
        }
        if (!store.getScheme().equalsIgnoreCase("file")) {
            throw new IllegalArgumentException("a local claim-check store is a file: URI, not " + store);
        }
        return Path.of(store.normalize()).toAbsolutePath().normalize();
    }
}
