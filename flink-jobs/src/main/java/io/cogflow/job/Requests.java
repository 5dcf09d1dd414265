package io.cogflow.job;

import io.cogflow.connectors.flink.DeadLetteringDeserializer;
import io.cogflow.schemas.DeadLetter;
import io.cogflow.schemas.GenerationRequest;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * How the job reads the requests topic: wire-format {@code GenerationRequest}s become {@link AcceptedRequest}s,
 * anything else a dead letter. A request without a seed gets one derived from its id, so a replay after a failure
 * makes the same video.
 */
final class Requests {
    private Requests() {
    }

    /** With the default limits and dead-letter size; {@link #deserializer(JobConfig.Validation, int)} with a config's. */
    static RequestDecoder deserializer() {
        return deserializer(JobConfig.Validation.defaults(), JobConfig.DeadLetters.DEFAULT_KEEP_BYTES);
    }

    /** @param deadLetterKeepBytes how much of an undecodable record's key and value its dead letter keeps */
    static RequestDecoder deserializer(JobConfig.Validation limits, int deadLetterKeepBytes) {
        return new RequestDecoder(DeadLetteringDeserializer.<GenerationRequest, Incoming>builder(GenerationRequest.class)
                .onRecord((r, source) -> Incoming.of(accept(r, source.timestamp(), limits.maxRequestIdBytes()),
                        facts(r, source)))
                .onDeadLetter(d -> Incoming.dead(toInfo(d, deadLetterKeepBytes)))
                .producedType(TypeInformation.of(Incoming.class))
                .build(), limits.maxRecordBytes(), deadLetterKeepBytes);
    }

    /**
     * The longest id a result is written for. A result carries its id twice (key and value), so a longer one —
     * possible only with {@code validation.max_record_bytes} raised — is no id to answer by: it becomes a dead
     * letter, which keeps a bounded prefix of the record, instead of a result of twice its size (a 4.5 MB id made
     * a 9 MB result above the sink's limit). Ids between {@code max_request_id_bytes} and this get their
     * {@code BAD_REQUEST_ID} result, under the id the client waits on.
     */
    static final int MAX_ANSWERABLE_ID_BYTES = 64 * 1024;

    /** @param maxIdBytes the configured limit, named in a dead letter's reason */
    static AcceptedRequest accept(GenerationRequest r, long receivedAt, int maxIdBytes) {
        String id = r.getRequestId();
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("request_id is empty");
        }
        long idBytes = TextChecks.utf8Bytes(id);
        if (idBytes > MAX_ANSWERABLE_ID_BYTES) {
            throw new IllegalArgumentException("request_id has " + idBytes + " bytes, far above "
                    + "validation.max_request_id_bytes (" + maxIdBytes + "): too long to key a result by");
        }
        return new AcceptedRequest(id, new AcceptedRequest.Prompt(r.getPrompt(), r.getNegativePrompt()),
                new AcceptedRequest.Clip(r.getWidth(), r.getHeight(), r.getFrames(), r.getFps()),
                new AcceptedRequest.Sampling(r.getSteps(), r.getGuidance(), r.getDynamicCfg(),
                        r.getSeed() == null ? StableSeed.of(id) : r.getSeed(), WireEnums.sampler(r.getSampler())),
                new AcceptedRequest.Delivery(WireEnums.format(r.getOutputFormat()), r.getPriority(),
                        deadline(r.getDeadline()), receivedAt));
    }

    /**
     * 0 for none; a deadline the client set stays set even when it is the epoch itself (then -1, as long past), so
     * every deadline at or before now expires.
     */
    static long deadline(Instant deadline) {
        if (deadline == null) {
            return 0;
        }
        long millis = deadline.toEpochMilli();
        return millis == 0 ? -1 : millis;
    }

    /** What {@link RequestLimits} checks of the record besides the request: sizes, key, metadata. */
    static RecordFacts facts(GenerationRequest r, ConsumerRecord<byte[], byte[]> source) {
        byte[] key = source.key();
        boolean keyMatches = key == null || key.length == 0
                || Arrays.equals(key, r.getRequestId().getBytes(StandardCharsets.UTF_8));
        Map<String, String> metadata = r.getClientMetadata();
        long metadataBytes = 0;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            metadataBytes += TextChecks.utf8Bytes(e.getKey()) + TextChecks.utf8Bytes(e.getValue());
        }
        return new RecordFacts(source.value() == null ? 0 : source.value().length, key == null ? 0 : key.length,
                keyMatches, metadata.size(), metadataBytes);
    }

    /** Truncated here, where the record enters the job: nothing larger than the kept prefix travels on. */
    static DeadLetterInfo toInfo(DeadLetter d, int keepBytes) {
        return new DeadLetterInfo(d.getTopic(), d.getPartition(), d.getOffset(), d.getTimestamp(),
                DeadLetterInfo.Raw.of(bytes(d.getRawKey()), keepBytes),
                DeadLetterInfo.Raw.of(bytes(d.getRawValue()), keepBytes), d.getError(),
                d.getErrorClass());
    }

    /** The wire's DeadLetter has no size or hash fields: a truncated key or value has them in the error text. */
    static DeadLetter toAvro(DeadLetterInfo d) {
        return DeadLetter.newBuilder().setTopic(d.topic()).setPartition(d.partition()).setOffset(d.offset())
                .setTimestamp(d.timestamp()).setRawKey(d.key() == null ? null : ByteBuffer.wrap(d.key().kept()))
                .setRawValue(d.value() == null ? null : ByteBuffer.wrap(d.value().kept()))
                .setError(d.describedError()).setErrorClass(d.errorClass()).build();
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
