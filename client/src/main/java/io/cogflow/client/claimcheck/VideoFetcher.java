package io.cogflow.client.claimcheck;

import java.io.IOException;
import java.net.URI;

/**
 * Reads the object behind a result's claim-check reference ({@code Video.uri}). The client library reads
 * {@code file:} references itself ({@link LocalVideoFetcher}); a consumer of an object store (s3, gs, hdfs) passes
 * its own, written with that store's SDK, so this library needs nothing but the wire contract and kafka-clients.
 */
@FunctionalInterface
public interface VideoFetcher {
    byte[] fetch(URI uri) throws IOException;
}
