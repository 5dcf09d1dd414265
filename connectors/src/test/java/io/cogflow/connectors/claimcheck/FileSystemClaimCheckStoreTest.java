package io.cogflow.connectors.claimcheck;

import io.cogflow.client.claimcheck.ClaimCheckNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on the local disk ({@code file:} URIs and plain paths) and on a rename-refusing file system. */
class FileSystemClaimCheckStoreTest {
    @TempDir
    Path root;

    @Test
    void putThenGetRoundTripsAndTheUriIsOneAConsumerCanFetch() throws Exception {
        Path dir = root.resolve("results");
        ClaimCheckStore store = ClaimCheckStores.forUri(dir.toUri().toString());
        byte[] data = "not really an mp4".getBytes(StandardCharsets.UTF_8);

        StoredObject o = store.put("req-42", data, "video/mp4", "mp4");

        assertThat(o.sizeBytes()).isEqualTo(data.length);
        assertThat(o.mimeType()).isEqualTo("video/mp4");
        assertThat(o.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
        // the string that goes into the Kafka record parses back to the same URI, in the usual file:/// form
        URI fromRecord = new URI(o.uri().toString());
        assertThat(fromRecord).isEqualTo(o.uri());
        assertThat(fromRecord.toString()).startsWith("file:///").matches(".*/results/req-42-[0-9a-f]{16}\\.mp4");
        assertThat(Path.of(fromRecord)).isEqualTo(dir.resolve(Path.of(fromRecord).getFileName()));
        assertThat(Files.readAllBytes(Path.of(fromRecord))).isEqualTo(data);
        assertThat(store.get(fromRecord)).isEqualTo(data);
        assertThat(ClaimCheckStores.fetch(fromRecord)).isEqualTo(data);
    }

    @Test
    void aPlainPathIsALocalDirectory() throws Exception {
        ClaimCheckStore store = ClaimCheckStores.forUri(root.resolve("plain").toString());
        StoredObject o = store.put("p", new byte[] {5}, "image/gif", "gif");

        assertThat(Path.of(o.uri()).getParent()).isEqualTo(root.resolve("plain"));
        assertThat(ClaimCheckStores.fetch(o.uri())).containsExactly(5);
    }

    /** A replay after a failover makes the same bytes: one object, written again in place. */
    @Test
    void aReplayOverwritesInsteadOfDuplicating() throws Exception {
        ClaimCheckStore store = ClaimCheckStores.forUri(root.toString());
        StoredObject first = store.put("replayed", new byte[] {1, 2, 3}, "video/mp4", "mp4");
        StoredObject second = store.put("replayed", new byte[] {1, 2, 3}, "video/mp4", "mp4");

        assertThat(second).isEqualTo(first);
        assertThat(files(root)).hasSize(1); // no leftover temp file either
        assertThat(ClaimCheckStores.fetch(second.uri())).containsExactly(1, 2, 3);
    }

    /**
     * Two requests with one id and other content (a client's duplicate submission with another prompt or seed):
     * each result's object keeps its own video, so its size and SHA-256 stay true (issue 15).
     */
    @Test
    void aDuplicateIdWithOtherContentNeverOverwritesTheFirstVideo() throws Exception {
        ClaimCheckStore store = ClaimCheckStores.forUri(root.toString());
        StoredObject first = store.put("dup", new byte[] {1, 2, 3}, "video/mp4", "mp4");
        StoredObject second = store.put("dup", new byte[] {4, 5}, "video/mp4", "mp4");

        assertThat(second.uri()).isNotEqualTo(first.uri());
        assertThat(files(root)).hasSize(2);
        assertThat(ClaimCheckStores.fetch(first.uri())).containsExactly(1, 2, 3);
        assertThat(ClaimCheckStores.fetch(second.uri())).containsExactly(4, 5);
        assertThat(first.uri().toString()).contains("/dup-");
    }

    @Test
    void readersNeverSeeAPartialOrMissingObjectWhileItIsReplaced() throws Exception {
        ClaimCheckStore store = ClaimCheckStores.forUri(root.toUri().toString());
        byte[] ones = new byte[2 << 20];
        Arrays.fill(ones, (byte) 1);
        // a replay of the same video while a consumer reads it: the object is written again in place
        URI uri = store.put("hot", ones, "video/mp4", "mp4").uri();

        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> reads = reader.submit(() -> {
                int n = 0;
                while (writing.get()) {
                    byte[] seen = ClaimCheckStores.fetch(uri); // FileNotFoundException would fail the test
                    assertThat(Arrays.equals(seen, ones))
                        .as("read %d: %d bytes, not the whole object", n, seen.length).isTrue();
                    n++;
                }
                return n;
            });
            for (int i = 0; i < 60; i++) {
                assertThat(store.put("hot", ones, "video/mp4", "mp4").uri()).isEqualTo(uri);
            }
            writing.set(false);
            assertThat(reads.get()).isPositive();
        } finally {
            writing.set(false);
            reader.shutdownNow();
        }
        assertThat(files(root)).hasSize(1);
    }

    @Test
    void onAFileSystemWhoseRenameCannotReplaceTheOldObjectMakesWay() throws Exception {
        URI dir = URI.create(NoReplaceRenameFileSystem.SCHEME + "://" + root.resolve("hdfs-like").toUri().getRawPath());
        ClaimCheckStore store = ClaimCheckStores.forUri(dir.toString());
        assertThat(store.toString()).contains("RENAME");

        StoredObject first = store.put("r", new byte[] {2, 2}, "video/mp4", "mp4");
        StoredObject second = store.put("r", new byte[] {2, 2}, "video/mp4", "mp4");

        assertThat(second.uri()).isEqualTo(first.uri());
        assertThat(second.uri().getScheme()).isEqualTo(NoReplaceRenameFileSystem.SCHEME);
        assertThat(store.get(second.uri())).containsExactly(2, 2);
        assertThat(ClaimCheckStores.fetch(second.uri())).containsExactly(2, 2);
        assertThat(files(root)).hasSize(1);
    }

    @Test
    void traversalLookingIdsStayInsideTheDirectory() throws Exception {
        Path dir = root.resolve("store");
        ClaimCheckStore store = ClaimCheckStores.forUri(dir.toString());
        for (String id : List.of("../x", "a/b", "..", "/etc/passwd", "a\\..\\..\\b", "C:\\evil", ".hidden", "x\u0000y",
                                 "ünïcødé ✓", "a%2F..%2Fb", "a".repeat(500))) {
            StoredObject o = store.put(id, new byte[] {7}, "video/mp4", "mp4");
            Path file = Path.of(o.uri());
            assertThat(file.getParent()).as(id).isEqualTo(dir);
            assertThat(file.getFileName().toString()).as(id).matches("[A-Za-z0-9_-]{1,48}-[0-9a-f]{16}\\.mp4");
            assertThat(store.get(o.uri())).containsExactly(7);
        }
        assertThat(files(root)).allMatch(p -> p.getParent().equals(dir));
        // ids that sanitize alike stay apart
        assertThat(ClaimCheckNames.of("a/b", "mp4")).isNotEqualTo(ClaimCheckNames.of("a_b", "mp4"));
    }

    @Test
    void aDirectoryNeedingEscapesStillGivesFetchableUris() throws Exception {
        Path dir = root.resolve("with space").resolve("ünï %25");
        ClaimCheckStore store = ClaimCheckStores.forUri(dir.toString());
        StoredObject o = store.put("e", new byte[] {3}, "video/mp4", "mp4");

        URI fromRecord = new URI(o.uri().toString());
        assertThat(fromRecord.toString()).contains("with%20space");
        assertThat(Path.of(fromRecord).getParent()).isEqualTo(dir);
        assertThat(ClaimCheckStores.fetch(fromRecord)).containsExactly(3);
        assertThat(store.get(fromRecord)).containsExactly(3);
    }

    @Test
    void refusesBadExtensionsAndForeignUris() throws Exception {
        Path dir = Files.createDirectories(root.resolve("s"));
        ClaimCheckStore store = ClaimCheckStores.forUri(dir.toString());
        assertThatThrownBy(() -> store.put("r", new byte[1], "video/mp4", "../mp4")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put("r", new byte[1], "video/mp4", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put("", new byte[1], "video/mp4", "mp4")).isInstanceOf(IllegalArgumentException.class);

        Path outside = Files.writeString(root.resolve("secret-0000000000000000.txt"), "x");
        assertThatThrownBy(() -> store.get(outside.toUri())).isInstanceOf(IllegalArgumentException.class);
        URI escaping = URI.create(dir.toUri() + "../secret-0000000000000000.txt"); // dir.toUri() ends with '/'
        assertThatThrownBy(() -> store.get(escaping)).isInstanceOf(IllegalArgumentException.class);
        Path temp = Files.writeString(dir.resolve(".tmp-r-0000000000000000.mp4-1.part"), "x");
        assertThatThrownBy(() -> store.get(temp.toUri())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get(URI.create("s3://bucket/r-0000000000000000.mp4")))
            .isInstanceOf(IllegalArgumentException.class);

        URI missing = dir.resolve("nope-0000000000000000.mp4").toUri();
        assertThatThrownBy(() -> store.get(missing)).isInstanceOf(FileNotFoundException.class)
            .hasMessageContaining("nope-0000000000000000.mp4");
        assertThat(store.put("r", new byte[0], "image/gif", ".GIF").uri().toString()).endsWith(".gif");
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        ClaimCheckStore store = ClaimCheckStores.forUri(root.toString());
        StoredObject o = store.put("ser", new byte[] {9}, "video/mp4", "mp4");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(store);
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            ClaimCheckStore copy = (ClaimCheckStore) in.readObject();
            assertThat(in.readObject()).isEqualTo(o);
            assertThat(copy.get(o.uri())).containsExactly(9);
            assertThat(copy.put("ser", new byte[] {9}, "video/mp4", "mp4").uri()).isEqualTo(o.uri());
            StoredObject other = copy.put("ser", new byte[] {8}, "video/mp4", "mp4");
            assertThat(store.get(other.uri())).containsExactly(8);
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
