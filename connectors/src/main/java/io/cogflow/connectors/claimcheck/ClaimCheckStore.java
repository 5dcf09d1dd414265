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
 * {@link FileClaimCheckStore} is the only implementation today; the interface is ready for object stores (S3, GCS)
 * behind {@link ClaimCheckStores#forUri(String)}.
 */
public interface ClaimCheckStore extends Serializable {
    /**
     * Stores {@code data} under a name derived from {@code requestId} and {@code extension}. Atomic (readers see
     * the old object or the whole new one, never a partial write) and idempotent: storing again for the same id
     * and extension replaces the object.
     *
     * @param mimeType  e.g. {@code video/mp4}; recorded in the result
     * @param extension file extension without the dot, e.g. {@code mp4}
     */
    StoredObject put(String requestId, byte[] data, String mimeType, String extension) throws IOException;

    /** Reads an object this store wrote. */
    byte[] get(URI uri) throws IOException;
}
