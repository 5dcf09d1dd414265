package io.cogflow.client;

import io.cogflow.client.claimcheck.ClaimCheckNames;
import io.cogflow.client.claimcheck.Sha256;
import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.Status;
import io.cogflow.schemas.Video;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Saving a result's video without Flink or TensorFlow: inline, behind a file: reference, or a custom fetcher. */
class ResultVideosTest {
    private static final byte[] VIDEO = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};

    @TempDir
    Path dir;

    @Test
    void savesAnInlineVideoUnderItsRequestIdWithTheExtensionOfItsMimeType() throws IOException {
        Path file = ResultVideos.save(result("req-1", video("video/mp4").setInline(ByteBuffer.wrap(VIDEO))), dir);
        assertThat(file).isEqualTo(dir.resolve("req-1.mp4"));
        assertThat(Files.readAllBytes(file)).isEqualTo(VIDEO);
    }

    @Test
    void fetchesAFileReferenceOfTheStoreAndChecksItsDigest() throws IOException {
        Path store = Files.createDirectories(dir.resolve("store"));
        Path object = Files.write(store.resolve(ClaimCheckNames.of("req-2", "gif")), VIDEO);
        Path out = Files.createDirectories(dir.resolve("out"));
        Path file = ResultVideos.save(result("req-2", video("image/gif").setUri(object.toUri().toString())), out);
        assertThat(file).isEqualTo(out.resolve("req-2.gif"));
        assertThat(Files.readAllBytes(file)).isEqualTo(VIDEO);
    }

    @Test
    void refusesBytesThatDoNotMatchTheResult() throws IOException {
        Path object = Files.write(dir.resolve(ClaimCheckNames.of("req-3", "mp4")), VIDEO);
        Files.write(object, new byte[] {1, 2, 3}); // replaced after the result was written
        GenerationResult r = result("req-3", video("video/mp4").setUri(object.toUri().toString()));
        assertThatThrownBy(() -> ResultVideos.save(r, dir))
            .isInstanceOf(IOException.class).hasMessageContaining("does not match its result");
    }

    @Test
    void readsOnlyObjectNamesTheStoreWritesAndOnlyFileUrisWithoutAFetcher() throws IOException {
        Path secret = Files.write(dir.resolve("secret.txt"), VIDEO);
        assertThatThrownBy(() -> ResultVideos.save(result("r", video("video/mp4").setUri(secret.toUri().toString())), dir))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a claim-check object URI");
        GenerationResult s3 = result("r", video("video/mp4").setUri("s3://bucket/" + ClaimCheckNames.of("r", "mp4")));
        assertThatThrownBy(() -> ResultVideos.save(s3, dir)).hasMessageContaining("pass a VideoFetcher for s3:");
        Path file = ResultVideos.save(s3, dir, uri -> {
            assertThat(uri.getScheme()).isEqualTo("s3");
            return VIDEO.clone();
        });
        assertThat(Files.readAllBytes(file)).isEqualTo(VIDEO);
    }

    private static Video.Builder video(String mimeType) {
        return Video.newBuilder().setMimeType(mimeType).setSizeBytes(VIDEO.length).setSha256(Sha256.hex(VIDEO));
    }

    private static GenerationResult result(String id, Video.Builder video) {
        return GenerationResult.newBuilder().setRequestId(id).setStatus(Status.SUCCEEDED).setVideo(video.build())
            .setCreatedAt(Instant.EPOCH).build();
    }
}
