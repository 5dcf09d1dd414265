package io.cogflow.job;

import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.StageTimings;
import io.cogflow.schemas.Status;
import io.cogflow.schemas.Video;

import java.nio.ByteBuffer;
import java.time.Instant;

/** A job result as the wire contract's {@code GenerationResult}. */
final class ResultAvro {
    private ResultAvro() {
    }

    static GenerationResult of(ResultRecord r) {
        Video video = r.mimeType() == null ? null : Video.newBuilder().setMimeType(r.mimeType())
                .setSizeBytes(r.sizeBytes()).setSha256(r.sha256())
                .setInline(r.inline() == null ? null : ByteBuffer.wrap(r.inline())).setUri(r.uri()).build();
        StageTimings timings = StageTimings.newBuilder().setQueueMs(r.queueMs()).setTokenizeMs(r.tokenizeMs())
                .setEncodeTextMs(r.encodeTextMs()).setDenoiseMs(r.denoiseMs()).setDecodeMs(r.decodeMs())
                .setEncodeVideoMs(r.encodeVideoMs()).setTotalMs(r.totalMs()).build();
        return GenerationResult.newBuilder().setRequestId(r.requestId()).setStatus(Status.valueOf(r.status().name()))
                .setErrorCode(r.errorCode()).setErrorMessage(r.errorMessage()).setVideo(video).setWidth(r.width())
                .setHeight(r.height()).setFrames(r.frames()).setFps(r.fps()).setSeedUsed(r.seedUsed())
                .setModelId(r.modelId() == null ? "" : r.modelId()).setBatchId(r.batchId())
                .setBatchSize(r.batchSize()).setTimings(timings).setCreatedAt(Instant.ofEpochMilli(r.createdAt()))
                .build();
    }
}
