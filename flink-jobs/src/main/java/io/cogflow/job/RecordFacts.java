package io.cogflow.job;

/**
 * What the Kafka record of a request looked like, as far as the request limits care and the request itself does
 * not carry it on: the raw sizes, whether the key agrees with the request id, and how big the client metadata was
 * (the job ignores the metadata, so only its size travels). Counted at decode, checked by {@link RequestLimits}.
 *
 * @param keyMatchesId the key is absent, empty, or the request id's UTF-8 bytes
 */
public record RecordFacts(int valueBytes, int keyBytes, boolean keyMatchesId, int metadataEntries,
                          long metadataBytes) {

    /** For a request that did not come off Kafka (tests, tools): nothing to object to. */
    public static final RecordFacts NONE = new RecordFacts(0, 0, true, 0, 0);
}
