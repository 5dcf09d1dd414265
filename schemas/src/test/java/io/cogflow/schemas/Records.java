package io.cogflow.schemas;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

/** Sample records with every field set. */
final class Records {
    private Records() {}

    static final Instant T0 = Instant.ofEpochMilli(1_760_000_000_123L);

    static GenerationRequest request() {
        return GenerationRequest.newBuilder()
                .setRequestId("req-0001")
                .setPrompt("a panda playing guitar in a bamboo forest, golden hour")
                .setNegativePrompt("blurry")
                .setWidth(720)
                .setHeight(480)
                .setFrames(49)
                .setFps(16)
                .setSteps(30)
                .setGuidance(7.5)
                .setDynamicCfg(true)
                .setSeed(42L)
                .setSampler(Sampler.DPM)
                .setOutputFormat(OutputFormat.GIF)
                .setPriority(3)
                .setDeadline(T0.plusSeconds(600))
                .setClientMetadata(Map.of("user", "ada", "trace", "ü€ 😀"))
                .build();
    }

    /** Only the fields without defaults. */
    static GenerationRequest minimalRequest() {
        return GenerationRequest.newBuilder()
                .setRequestId("req-0002")
                .setPrompt("waves")
                .setWidth(256)
                .setHeight(256)
                .setFrames(9)
                .build();
    }

    static GenerationResult result() {
        return GenerationResult.newBuilder()
                .setRequestId("req-0001")
                .setStatus(Status.SUCCEEDED)
                .setVideo(Video.newBuilder()
                        .setMimeType("image/gif")
                        .setSizeBytes(4)
                        .setSha256("88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589")
                        .setInline(ByteBuffer.wrap(new byte[] {'a', 'b', 'c', 'd'}))
                        .build())
                .setWidth(720)
                .setHeight(480)
                .setFrames(49)
                .setFps(16)
                .setSeedUsed(42L)
                .setModelId("cogvideox-2b@sha256:0123")
                .setBatchId("batch-7")
                .setBatchSize(2)
                .setTimings(StageTimings.newBuilder()
                        .setQueueMs(12.5).setTokenizeMs(0.25).setEncodeTextMs(80).setDenoiseMs(9000)
                        .setDecodeMs(700).setEncodeVideoMs(40).setTotalMs(9833.25).build())
                .setCreatedAt(T0)
                .build();
    }

    static GenerationResult failedResult() {
        return GenerationResult.newBuilder()
                .setRequestId("req-0003")
                .setStatus(Status.REJECTED)
                .setErrorCode("INVALID_SIZE")
                .setErrorMessage("width 721 is not a multiple of 16")
                .setCreatedAt(T0)
                .build();
    }

    static GenerationResult largeResult() {
        return GenerationResult.newBuilder(result())
                .setVideo(Video.newBuilder()
                        .setMimeType("video/mp4")
                        .setSizeBytes(52_428_800L)
                        .setSha256("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                        .setUri("s3://cogflow-videos/req-0001.mp4")
                        .build())
                .build();
    }

    static GenerationProgress progress() {
        return GenerationProgress.newBuilder()
                .setRequestId("req-0001")
                .setStage(Stage.DENOISING)
                .setStep(12)
                .setSteps(30)
                .setTime(T0)
                .setBatchId("batch-7")
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setTopic("cogflow.requests")
                .setPartition(3)
                .setOffset(1234567L)
                .setTimestamp(T0.toEpochMilli())
                .setRawKey(ByteBuffer.wrap("req-9".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .setRawValue(ByteBuffer.wrap(new byte[] {0x7b, 0x7d}))
                .setError("not Avro single-object encoding: starts with 7B 7D, expected the marker C3 01 (2 bytes)")
                .setErrorClass(WireFormatException.class.getName())
                .build();
    }
}
