package io.cogflow.connectors.claimcheck;

import java.io.Serializable;
import java.net.URI;
import java.util.Objects;

/**
 * A stored large result: what goes into the Kafka record instead of the bytes.
 *
 * @param uri       where the bytes are: the store's directory URI plus the object name
 *                  ({@code file:///shared/results/req-1-0123456789abcdef.mp4}, {@code s3://bucket/prefix/…});
 *                  {@link ClaimCheckStores#fetch(URI)} reads it
 * @param sizeBytes length of the data
 * @param sha256    lowercase hex SHA-256 of the data, for integrity checks by the reader
 * @param mimeType  e.g. {@code video/mp4}
 */
public record StoredObject(URI uri, long sizeBytes, String sha256, String mimeType) implements Serializable {
    public StoredObject {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(mimeType, "mimeType");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes < 0: " + sizeBytes);
        }
    }
}
