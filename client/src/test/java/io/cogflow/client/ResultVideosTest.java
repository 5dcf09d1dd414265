package io.cogflow.client;

import io.cogflow.client.claimcheck.ClaimCheckNames;
import io.cogflow.client.claimcheck.Sha256;
import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.Status;
import io.cogflow.schemas.Video;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

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
    void fetchesAFileReferenceOfAConfiguredStoreAndChecksItsDigest() throws IOException {
        Path store = Files.createDirectories(dir.resolve("store"));
        Path object = Files.write(store.resolve(ClaimCheckNames.of("req-2", "gif")), VIDEO);
        Path out = Files.createDirectories(dir.resolve("out"));
        GenerationResult r = result("req-2", video("image/gif").setUri(object.toUri().toString()));
        // a store given with a trailing slash or as a plain path is the same directory
        for (URI s : List.of(store.toUri(), URI.create(store.toString()))) {
            Path file = ResultVideos.save(r, out, List.of(s));
            assertThat(file).isEqualTo(out.resolve("req-2.gif"));
            assertThat(Files.readAllBytes(file)).isEqualTo(VIDEO);
        }
    }

    @Test
    void refusesBytesThatDoNotMatchTheResult() throws IOException {
        Path object = Files.write(dir.resolve(ClaimCheckNames.of("req-3", "mp4")), VIDEO);
        Files.write(object, new byte[] {1, 2, 3}); // replaced after the result was written
        GenerationResult r = result("req-3", video("video/mp4").setUri(object.toUri().toString()));
        assertThatThrownBy(() -> ResultVideos.save(r, dir, List.of(dir.toUri())))
            .isInstanceOf(IOException.class).hasMessageContaining("does not match its result");
    }

    @Test
    void readsOnlyObjectNamesTheStoreWritesAndOnlyFileUrisWithoutAFetcher() throws IOException {
        Path secret = Files.write(dir.resolve("secret.txt"), VIDEO);
        List<URI> stores = List.of(dir.toUri());
        assertThatThrownBy(() -> ResultVideos.save(result("r", video("video/mp4").setUri(secret.toUri().toString())),
            dir, stores)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a claim-check object URI");
        GenerationResult s3 = result("r", video("video/mp4").setUri("s3://bucket/" + ClaimCheckNames.of("r", "mp4")));
        assertThatThrownBy(() -> ResultVideos.save(s3, dir, stores)).hasMessageContaining("pass a VideoFetcher for s3:");
        Path file = ResultVideos.save(s3, dir, uri -> {
            assertThat(uri.getScheme()).isEqualTo("s3");
            return VIDEO.clone();
        });
        assertThat(Files.readAllBytes(file)).isEqualTo(VIDEO);
    }

    @Test
    void refusesObjectsOutsideTheConfiguredStoresEvenWithAnObjectName() throws IOException {
        String name = ClaimCheckNames.of("r", "mp4");
        Path store = Files.createDirectories(dir.resolve("store"));
        Path elsewhere = Files.write(Files.createDirectories(dir.resolve("elsewhere")).resolve(name), VIDEO);
        Path below = Files.write(Files.createDirectories(store.resolve("sub")).resolve(name), VIDEO);
        Path out = Files.createDirectories(dir.resolve("out"));
        for (String uri : List.of(elsewhere.toUri().toString(), below.toUri().toString(),
                store.toUri() + "../elsewhere/" + name, "file:///etc/" + name, "file:///etc/passwd")) {
            GenerationResult r = result("r", video("video/mp4").setUri(uri));
            assertThatThrownBy(() -> ResultVideos.save(r, out, List.of(store.toUri())))
                .as(uri).isInstanceOf(IllegalArgumentException.class);
        }
        GenerationResult r = result("r", video("video/mp4").setUri(elsewhere.toUri().toString()));
        assertThatThrownBy(() -> ResultVideos.save(r, out)).hasMessageContaining("(none configured)");
        try (Stream<Path> saved = Files.list(out)) {
            assertThat(saved).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../x", "..", ".", "/etc/passwd", "a/b", "a\\b", "C:\\x", "\u001b[2Jclear",
        "line\nbreak", ".hidden", "nul\u0000byte", "___x-0123456789abcdef"})
    void hostileIdsAreSavedInsideTheFolderUnderASanitisedName(String id) throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path file = ResultVideos.save(result(id, video("video/mp4").setInline(ByteBuffer.wrap(VIDEO))), out);
        assertThat(file.getParent()).isEqualTo(out);
        assertThat(file.getFileName().toString()).matches("[A-Za-z0-9_-]+-[0-9a-f]{16}\\.mp4")
            .isEqualTo(ClaimCheckNames.of(id, "mp4"));
        assertThat(Files.readAllBytes(file)).isEqualTo(VIDEO);
    }

    @Test
    void idsThatSanitiseAlikeGetDifferentFiles() {
        assertThat(VideoFileNames.of("a/b", "mp4")).isNotEqualTo(VideoFileNames.of("a?b", "mp4"))
            .isNotEqualTo(VideoFileNames.of("a_b", "mp4"));
        assertThat(VideoFileNames.of("a_b", "mp4")).isEqualTo("a_b.mp4");
        assertThat(VideoFileNames.of("v1.2", "gif")).isEqualTo("v1.2.gif");
    }

    private static Video.Builder video(String mimeType) {
        return Video.newBuilder().setMimeType(mimeType).setSizeBytes(VIDEO.length).setSha256(Sha256.hex(VIDEO));
    }

    private static GenerationResult result(String id, Video.Builder video) {
        return GenerationResult.newBuilder().setRequestId(id).setStatus(Status.SUCCEEDED).setVideo(video.build())
            .setCreatedAt(Instant.EPOCH).build();
    }
}
