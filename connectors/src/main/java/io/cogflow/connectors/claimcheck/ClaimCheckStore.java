package io.cogflow.connectors.claimcheck;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;

/**
 * Where large results go (the claim-check pattern): the bytes are stored here and only the {@link StoredObject}
 * (URI, size, SHA-256, MIME type) travels in the Kafka record.
 *
 * <p>The object name derives from the request id, so a replay after a Flink failover overwrites the same object
 * instead of duplicating it. Implementations are {@link Serializable} so a Flink operator can hold one.
 * {@link FileSystemClaimCheckStore}, on Flink's file systems (local, HDFS, S3, GCS, ABFS, …), is the one
 * implementation; {@link ClaimCheckStores#forUri(String)} makes it from a location string.
 */
public interface ClaimCheckStore extends Serializable {
    /**
     * Stores {@code data} under a name derived from {@code requestId} and {@code extension}. Atomic — readers see
     * the old object or the whole new one (on a file system whose rename cannot replace, such as HDFS, briefly
     * none), never a partial write — and idempotent: storing again for the same id and extension replaces the
     * object.
     *
     * @param mimeType  e.g. {@code video/mp4}; recorded in the result
     * @param extension file extension without the dot, e.g. {@code mp4}
     */
    StoredObject put(String requestId, byte[] data, String mimeType, String extension) throws IOException;

    /** Reads an object of this store; a URI outside it is an {@link IllegalArgumentException}. */
    byte[] get(URI uri) throws IOException;
}
