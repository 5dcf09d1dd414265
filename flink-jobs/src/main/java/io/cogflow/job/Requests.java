package io.cogflow.job;

import io.cogflow.connectors.flink.DeadLetteringDeserializer;
import io.cogflow.schemas.DeadLetter;
import io.cogflow.schemas.GenerationRequest;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.nio.ByteBuffer;

/**
 * How the job reads the requests topic: wire-format {@code GenerationRequest}s become {@link AcceptedRequest}s,
 * anything else a dead letter. A request without a seed gets one derived from its id, so a replay after a failure
 * makes the same video.
 */
final class Requests {
    private Requests() {
    }

    /** @param deadLetterKeepBytes how much of an undecodable record's key and value its dead letter keeps */
    static DeadLetteringDeserializer<GenerationRequest, Incoming> deserializer(int deadLetterKeepBytes) {
        return DeadLetteringDeserializer.<GenerationRequest, Incoming>builder(GenerationRequest.class)
                .onRecord((r, source) -> Incoming.of(accept(r, source.timestamp())))
                .onDeadLetter(d -> Incoming.dead(toInfo(d, deadLetterKeepBytes)))
                .producedType(TypeInformation.of(Incoming.class))
                .build();
    }

    static AcceptedRequest accept(GenerationRequest r, long receivedAt) {
        String id = r.getRequestId();
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("request_id is empty");
        }
        return new AcceptedRequest(id, new AcceptedRequest.Prompt(r.getPrompt(), r.getNegativePrompt()),
                new AcceptedRequest.Clip(r.getWidth(), r.getHeight(), r.getFrames(), r.getFps()),
                new AcceptedRequest.Sampling(r.getSteps(), r.getGuidance(), r.getDynamicCfg(),
                        r.getSeed() == null ? StableSeed.of(id) : r.getSeed(), WireEnums.sampler(r.getSampler())),
                new AcceptedRequest.Delivery(WireEnums.format(r.getOutputFormat()), r.getPriority(),
                        r.getDeadline() == null ? 0 : r.getDeadline().toEpochMilli(), receivedAt));
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
