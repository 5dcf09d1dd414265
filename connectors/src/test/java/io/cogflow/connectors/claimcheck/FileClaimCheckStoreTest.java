package io.cogflow.connectors.claimcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileClaimCheckStoreTest {
    @TempDir
    Path root;

    @Test
    void putThenGetRoundTrips() throws Exception {
        Path dir = root.resolve("results");
        ClaimCheckStore store = new FileClaimCheckStore(dir);
        byte[] data = "not really an mp4".getBytes(StandardCharsets.UTF_8);

        StoredObject o = store.put("req-42", data, "video/mp4", "mp4");

        assertThat(o.sizeBytes()).isEqualTo(data.length);
        assertThat(o.mimeType()).isEqualTo("video/mp4");
        assertThat(o.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
        assertThat(o.uri().getScheme()).isEqualTo("file");
        assertThat(Path.of(o.uri()).getParent()).isEqualTo(dir.toAbsolutePath());
        assertThat(Path.of(o.uri()).getFileName().toString()).matches("req-42-[0-9a-f]{16}\\.mp4");
        assertThat(store.get(o.uri())).isEqualTo(data);
    }

    @Test
    void theSameRequestIdOverwritesInsteadOfDuplicating() throws Exception {
        ClaimCheckStore store = new FileClaimCheckStore(root);
        StoredObject first = store.put("replayed", new byte[] {1, 2, 3}, "video/mp4", "mp4");
        StoredObject second = store.put("replayed", new byte[] {4, 5}, "video/mp4", "mp4");

        assertThat(second.uri()).isEqualTo(first.uri());
        assertThat(files(root)).hasSize(1); // no leftover temp file either
        assertThat(store.get(second.uri())).containsExactly(4, 5);
        assertThat(second.sha256()).isNotEqualTo(first.sha256());
    }

    @Test
    void traversalLookingIdsStayInsideTheDirectory() throws Exception {
        Path dir = root.resolve("store");
        ClaimCheckStore store = new FileClaimCheckStore(dir);
        for (String id : List.of("../x", "a/b", "..", "/etc/passwd", "a\\..\\..\\b", "C:\\evil", ".hidden", "x\u0000y",
                                 "ünïcødé ✓", "a".repeat(500))) {
            StoredObject o = store.put(id, new byte[] {7}, "video/mp4", "mp4");
            Path file = Path.of(o.uri());
            assertThat(file.getParent()).as(id).isEqualTo(dir.toAbsolutePath());
            assertThat(file.getFileName().toString()).as(id).matches("[A-Za-z0-9_-]{1,48}-[0-9a-f]{16}\\.mp4");
            assertThat(store.get(o.uri())).containsExactly(7);
        }
        assertThat(files(root)).allMatch(p -> p.getParent().equals(dir));
        // ids that sanitize alike stay apart
        assertThat(FileClaimCheckStore.objectName("a/b", "mp4")).isNotEqualTo(FileClaimCheckStore.objectName("a_b", "mp4"));
    }

    @Test
    void refusesBadExtensionsAndForeignUris() throws IOException {
        FileClaimCheckStore store = new FileClaimCheckStore(root.resolve("s"));
        assertThatThrownBy(() -> store.put("r", new byte[1], "video/mp4", "../mp4")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put("r", new byte[1], "video/mp4", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put("", new byte[1], "video/mp4", "mp4")).isInstanceOf(IllegalArgumentException.class);
        Path outside = Files.writeString(root.resolve("secret.txt"), "x");
        assertThatThrownBy(() -> store.get(outside.toUri())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get(URI.create("s3://bucket/x.mp4"))).isInstanceOf(IllegalArgumentException.class);
        URI missing = root.resolve("s").resolve("nope-0000000000000000.mp4").toUri();
        assertThatThrownBy(() -> store.get(missing)).isInstanceOf(NoSuchFileException.class);
        assertThat(store.put("r", new byte[0], "image/gif", ".GIF").uri().toString()).endsWith(".gif");
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        FileClaimCheckStore store = new FileClaimCheckStore(root);
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
        }
    }

    @Test
    void storesFromUris() throws IOException {
        ClaimCheckStore fromUri = ClaimCheckStores.forUri(root.toUri().toString());
        assertThat(((FileClaimCheckStore) fromUri).directory()).isEqualTo(root.toAbsolutePath());
        ClaimCheckStore fromPath = ClaimCheckStores.forUri(root.resolve("plain").toString());
        assertThat(((FileClaimCheckStore) fromPath).directory()).isEqualTo(root.resolve("plain").toAbsolutePath());
        assertThat(ClaimCheckStores.forUri("relative/dir")).isInstanceOf(FileClaimCheckStore.class);

        assertThatThrownBy(() -> ClaimCheckStores.forUri("s3://bucket/prefix"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'s3'");
        assertThatThrownBy(() -> ClaimCheckStores.forUri("gs://bucket"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'gs'");
        assertThatThrownBy(() -> ClaimCheckStores.forUri("file://otherhost/x"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClaimCheckStores.forUri("  ")).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
