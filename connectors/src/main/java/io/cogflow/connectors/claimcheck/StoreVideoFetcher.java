package io.cogflow.connectors.claimcheck;

import io.cogflow.client.claimcheck.VideoFetcher;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link VideoFetcher} that reads a result's reference only from the claim-check stores it was given, on any
 * file system Flink reaches ({@code file:}, {@code s3:}, …). A result's URI is data from a topic: without this
 * bound, a forged {@code file:///etc/…} or {@code s3://someone-elses-bucket/…} reference would make a consumer
 * copy whatever its credentials can read.
 */
public final class StoreVideoFetcher implements VideoFetcher {
    private final List<FileSystemClaimCheckStore> stores;

    private StoreVideoFetcher(List<FileSystemClaimCheckStore> stores) {
        this.stores = List.copyOf(stores);
    }

    /** Locations as {@link ClaimCheckStores#forUri} takes them; none: every reference is refused. */
    public static StoreVideoFetcher of(List<String> locations) throws IOException {
        List<FileSystemClaimCheckStore> stores = new ArrayList<>();
        for (String l : Objects.requireNonNull(locations, "locations")) {
            stores.add(new FileSystemClaimCheckStore(ClaimCheckStores.location(l)));
        }
        return new StoreVideoFetcher(stores);
    }

    @Override
    public byte[] fetch(URI uri) throws IOException {
        URI object = uri.normalize();
        for (FileSystemClaimCheckStore s : stores) {
            if (s.holds(object)) {
                return s.get(object);
            }
        }
        throw new IllegalArgumentException("refusing " + uri + ": not an object of a configured claim-check store "
            + (stores.isEmpty() ? "(none configured)" : stores.stream().map(FileSystemClaimCheckStore::directory)
            .toList()));
    }
}
