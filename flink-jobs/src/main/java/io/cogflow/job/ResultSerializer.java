package io.cogflow.job;

import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.StageTimings;
import io.cogflow.schemas.Status;
import io.cogflow.schemas.Video;
import io.cogflow.schemas.WireFormat;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Results to the results topic as {@code GenerationResult}s in the wire format, keyed by request id. */
public final class ResultSerializer implements KafkaRecordSerializationSchema<ResultRecord> {
    private final String topic;
    private final WireFormat<GenerationResult> format = WireFormat.of(GenerationResult.class);

    public ResultSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(ResultRecord r, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, r.requestId().getBytes(StandardCharsets.UTF_8),
                format.encode(toAvro(r)));
    }

    static GenerationResult toAvro(ResultRecord r) {
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
                .setBatchSize(r.batchSize()).setTimings(timings).setCreatedAt(java.time.Instant.ofEpochMilli(r.createdAt())).build();
    }
}
