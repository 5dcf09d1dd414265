package io.cogflow.job;

import io.cogflow.model.video.VideoFormat;
import io.cogflow.schemas.DeadLetter;
import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.Status;
import io.cogflow.schemas.WireFormat;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** What the job's sinks hand their producers: never a record above max.request.size, never an exception. */
class SinkLimitsTest {
    private static final JobConfig CONFIG = JobConfig.parse("{}");
    private static final long LIMIT = 8 << 20;

    private static AcceptedRequest request(String id) {
        return new AcceptedRequest(id, new AcceptedRequest.Prompt("a red circle", ""),
                new AcceptedRequest.Clip(64, 64, 9, 8), new AcceptedRequest.Sampling(2, 6.0, false, 1, null),
                new AcceptedRequest.Delivery(VideoFormat.MP4, 0, 0, System.currentTimeMillis()));
    }

    private static long size(ProducerRecord<byte[], byte[]> r) {
        return (r.key() == null ? 0 : r.key().length) + r.value().length;
    }

    @Test
    void aResultAboveTheProducersLimitBecomesASmallFailedResult() throws Exception {
        byte[] video = new byte[9 << 20];
        ResultRecord big = new ResultRecord(request("big"), ResultStatus.SUCCEEDED, null, "m", null, null,
                new ResultRecord.EncodedVideo("video/mp4", video.length, "00", video, null),
                ResultRecord.Timings.NONE, 1);
        assertThat(CogflowJob.maxRecordBytes(CONFIG)).isEqualTo(LIMIT);
        ProducerRecord<byte[], byte[]> r = CogflowJob.resultsSerializer(CONFIG).serialize(big, null, null);
        assertThat(size(r)).isLessThan(4096);
        GenerationResult g = WireFormat.of(GenerationResult.class).decode(r.value());
        assertThat(g.getRequestId()).isEqualTo("big");
        assertThat(g.getStatus()).isEqualTo(Status.FAILED);
        assertThat(g.getErrorCode()).isEqualTo("RESULT_TOO_LARGE");
        assertThat(g.getErrorMessage()).contains("above the results sink's limit of " + LIMIT + " bytes");
        assertThat(g.getVideo()).isNull();

        // one below the limit is written as it is
        ResultRecord small = ResultRecord.withoutVideo(request("small"), ResultStatus.REJECTED, "X", "why", "m");
        GenerationResult s = WireFormat.of(GenerationResult.class)
                .decode(CogflowJob.resultsSerializer(CONFIG).serialize(small, null, null).value());
        assertThat(s.getStatus()).isEqualTo(Status.REJECTED);
    }

    @Test
    void aFailureMessageIsCutSoNoExceptionCanQuoteARequestIntoItsResult() {
        ResultRecord.Failure f = new ResultRecord.Failure("GENERATION_ERROR", "x".repeat(1 << 20));
        assertThat(f.message()).hasSize(ResultRecord.Failure.MAX_MESSAGE_CHARS + 1);
    }

    @Test
    void aDeadLetterKeepsAPrefixOfTheRecordWithItsFullSizeAndHash() throws Exception {
        byte[] value = new byte[(8 << 20) - 200];
        value[0] = 7;
        DeadLetter read = DeadLetter.newBuilder().setTopic("t").setPartition(1).setOffset(2).setTimestamp(3)
                .setRawKey(ByteBuffer.wrap("k".getBytes())).setRawValue(ByteBuffer.wrap(value))
                .setError("not the wire format").build();
        DeadLetterInfo info = Requests.toInfo(read, CONFIG.deadLetters().keepBytes());
        ProducerRecord<byte[], byte[]> r = CogflowJob.deadLettersSerializer(CONFIG).serialize(info, null, null);
        assertThat(size(r)).isLessThan(64 * 1024 + 4096);
        assertThat(r.key()).isEqualTo("k".getBytes());
        DeadLetter d = WireFormat.of(DeadLetter.class).decode(r.value());
        assertThat(d.getRawValue().remaining()).isEqualTo(64 * 1024);
        assertThat(d.getRawValue().get(0)).isEqualTo((byte) 7);
        assertThat(d.getRawKey().remaining()).as("a short key is kept whole").isEqualTo(1);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        assertThat(d.getError()).isEqualTo("not the wire format [raw value: " + value.length + " bytes, sha256 " + sha
                + ", first 65536 kept]");
    }

    @Test
    void aDeadLetterStillAboveTheLimitIsWrittenWithoutItsRawBytes() throws Exception {
        // not what the deserializer makes (it keeps at most dead_letters.keep_bytes), but the sink must not care
        byte[] value = new byte[9 << 20];
        DeadLetterInfo huge = new DeadLetterInfo("t", 0, 5, 6, null, new DeadLetterInfo.Raw(value, value.length,
                "ab"), "bad", "E");
        ProducerRecord<byte[], byte[]> r = CogflowJob.deadLettersSerializer(CONFIG).serialize(huge, null, null);
        assertThat(size(r)).isLessThan(4096);
        DeadLetter d = WireFormat.of(DeadLetter.class).decode(r.value());
        assertThat(d.getRawValue().remaining()).isZero();
        assertThat(d.getOffset()).isEqualTo(5);
        assertThat(d.getError()).contains(value.length + " bytes, sha256 ab");
    }
}
