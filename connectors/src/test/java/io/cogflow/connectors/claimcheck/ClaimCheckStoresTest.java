package io.cogflow.connectors.claimcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.UnsupportedFileSystemSchemeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClaimCheckStoresTest {
    @TempDir
    Path root;

    @Test
    void locationsBecomeCanonicalDirectoryUris() {
        String abs = root.toAbsolutePath().toString();
        assertThat(ClaimCheckStores.location(abs)).hasToString("file://" + abs);
        assertThat(ClaimCheckStores.location(" " + abs + "/x/../y/ ")).hasToString("file://" + abs + "/y");
        assertThat(ClaimCheckStores.location("file://" + abs + "/")).hasToString("file://" + abs);
        assertThat(ClaimCheckStores.location("file:" + abs)).hasToString("file://" + abs);
        assertThat(ClaimCheckStores.location("file://localhost" + abs)).hasToString("file://" + abs);
        assertThat(ClaimCheckStores.location("S3://bucket/prefix/")).hasToString("s3://bucket/prefix");
        assertThat(ClaimCheckStores.location("gs://bucket")).hasToString("gs://bucket");
        assertThat(ClaimCheckStores.location("hdfs:///claims")).hasToString("hdfs:/claims");
        assertThat(ClaimCheckStores.location("abfss://c@account.dfs.core.windows.net/v"))
            .hasToString("abfss://c@account.dfs.core.windows.net/v");
    }

    @Test
    void aRelativePathResolvesAgainstTheWorkingDirectory() {
        URI uri = ClaimCheckStores.location("relative/dir");
        assertThat(Path.of(uri)).isEqualTo(Path.of(System.getProperty("user.dir"), "relative", "dir"));
    }

    @Test
    void refusesMalformedLocations() {
        for (String bad : new String[] {"  ", "file://otherhost/x", "file:relative", "s3://bucket/p?versionId=1",
                                        "s3://bucket/p#f", "s3://bucket/../x", "hdfs:///", "s3:bucket"}) {
            assertThatThrownBy(() -> ClaimCheckStores.location(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aSchemeWithoutAFileSystemSaysWhichPluginIsMissing() {
        assertThatThrownBy(() -> ClaimCheckStores.forUri("s3://bucket/prefix"))
            .isInstanceOf(UnsupportedFileSystemSchemeException.class)
            .hasMessageContaining("scheme 's3'")
            .hasMessageContaining("s3://bucket/prefix")
            .hasMessageContaining("flink-s3-fs-hadoop")
            .hasMessageContaining("plugins/");
        assertThatThrownBy(() -> ClaimCheckStores.forUri("gs://bucket/p"))
            .isInstanceOf(UnsupportedFileSystemSchemeException.class)
            .hasMessageContaining("scheme 'gs'").hasMessageContaining("flink-gs-fs-hadoop");
        assertThatThrownBy(() -> ClaimCheckStores.forUri("nosuchfs://host/p"))
            .isInstanceOf(UnsupportedFileSystemSchemeException.class).hasMessageContaining("scheme 'nosuchfs'");
        // a consumer reading a reference gets the same explanation
        assertThatThrownBy(() -> ClaimCheckStores.fetch(URI.create("s3://bucket/prefix/r-0123456789abcdef.mp4")))
            .isInstanceOf(UnsupportedFileSystemSchemeException.class)
            .hasMessageContaining("scheme 's3'").hasMessageContaining("flink-s3-fs-presto");
    }

    @Test
    void fetchReadsOnlyObjectNames() throws Exception {
        Path secret = Files.writeString(root.resolve("secret.txt"), "x");
        assertThatThrownBy(() -> ClaimCheckStores.fetch(secret.toUri())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClaimCheckStores.fetch(URI.create("r-0123456789abcdef.mp4")))
            .isInstanceOf(IllegalArgumentException.class);
        Path object = Files.write(root.resolve("r-0123456789abcdef.mp4"), new byte[] {1, 2});
        assertThat(ClaimCheckStores.fetch(object.toUri())).containsExactly(1, 2);
    }

    @Test
    void initializingFileSystemsKeepsLocalAndClasspathOnesWorking() throws Exception {
        ClaimCheckStores.initializeFileSystems(new Configuration());
        ClaimCheckStore local = ClaimCheckStores.forUri(root.toString());
        URI uri = local.put("init", new byte[] {4}, "video/mp4", "mp4").uri();
        assertThat(ClaimCheckStores.fetch(uri)).containsExactly(4);
        URI other = URI.create(NoReplaceRenameFileSystem.SCHEME + ":" + root.toUri().getRawPath() + "o");
        assertThat(ClaimCheckStores.forUri(other.toString()).put("init", new byte[] {5}, "video/mp4", "mp4").uri())
            .hasScheme(NoReplaceRenameFileSystem.SCHEME);
    }
}
