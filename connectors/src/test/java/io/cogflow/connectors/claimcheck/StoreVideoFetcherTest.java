package io.cogflow.connectors.claimcheck;

import io.cogflow.client.claimcheck.ClaimCheckNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A consumer reads references only from the stores it was configured with, whatever a result names. */
class StoreVideoFetcherTest {
    @TempDir
    Path root;

    @Test
    void readsObjectsOfConfiguredStoresAndRefusesEverythingElse() throws Exception {
        Path store = root.resolve("store");
        StoredObject o = ClaimCheckStores.forUri(store.toString()).put("r", new byte[] {7}, "video/mp4", "mp4");
        String name = ClaimCheckNames.of("r", "mp4");
        Path elsewhere = Files.write(Files.createDirectories(root.resolve("elsewhere")).resolve(name), new byte[] {8});
        StoreVideoFetcher fetcher = StoreVideoFetcher.of(List.of(store.toUri().toString()));

        assertThat(fetcher.fetch(o.uri())).containsExactly(7);
        for (URI forged : List.of(elsewhere.toUri(), URI.create(store.toUri() + "../elsewhere/" + name),
                URI.create("file:///etc/" + name), URI.create("s3://other-bucket/" + name))) {
            assertThatThrownBy(() -> fetcher.fetch(forged)).as(forged.toString())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an object of a configured");
        }
        assertThatThrownBy(() -> StoreVideoFetcher.of(List.of()).fetch(o.uri())).hasMessageContaining("none configured");
    }
}
