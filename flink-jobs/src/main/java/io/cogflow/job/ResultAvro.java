package io.cogflow.job;

import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.StageTimings;
import io.cogflow.schemas.Video;

import java.nio.ByteBuffer;
import java.time.Instant;

/** A job result as the wire contract's {@code GenerationResult}: the one mapping from {@link ResultRecord}. */
final class ResultAvro {
    private ResultAvro() {
    }

    static GenerationResult of(ResultRecord r) {
        AcceptedRequest q = r.request();
        AcceptedRequest.Clip c = q.clip();
        ResultRecord.EncodedVideo v = r.video();
        Video video = v == null ? null : Video.newBuilder().setMimeType(v.mimeType()).setSizeBytes(v.sizeBytes())
                .setSha256(v.sha256()).setInline(v.inline() == null ? null : ByteBuffer.wrap(v.inline()))
                .setUri(v.uri()).build();
        ResultRecord.Timings t = r.timings();
        StageTimings timings = StageTimings.newBuilder().setQueueMs(t.queueMs()).setTokenizeMs(t.tokenizeMs())
                .setEncodeTextMs(t.encodeTextMs()).setDenoiseMs(t.denoiseMs()).setDecodeMs(t.decodeMs())
                .setEncodeVideoMs(t.encodeVideoMs()).setTotalMs(t.totalMs()).build();
        ResultRecord.Failure f = r.failure();
        ResultRecord.Batch b = r.batch();
        return GenerationResult.newBuilder().setRequestId(q.requestId()).setStatus(WireEnums.status(r.status()))
                .setErrorCode(f == null ? null : f.code()).setErrorMessage(f == null ? null : f.message())
                .setVideo(video).setWidth(c.width()).setHeight(c.height()).setFrames(c.frames()).setFps(c.fps())
                .setSeedUsed(q.sampling().seed()).setModelId(r.modelId() == null ? "" : r.modelId())
                .setBatchId(b == null ? null : b.id()).setBatchSize(b == null ? 0 : b.size()).setTimings(timings)
                .setCreatedAt(Instant.ofEpochMilli(r.createdAt())).build();
    }
}
