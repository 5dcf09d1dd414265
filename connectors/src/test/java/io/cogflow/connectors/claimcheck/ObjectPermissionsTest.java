package io.cogflow.connectors.claimcheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The mode of objects on a local store: readable by other users of a shared mount by default, configurable. */
class ObjectPermissionsTest {
    @TempDir
    Path root;

    @Test
    void objectsAreReadableByGroupAndOthersByDefault() throws Exception {
        assumePosix();
        StoredObject o = ClaimCheckStores.forUri(root.toString()).put("r", new byte[] {1}, "video/mp4", "mp4");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(o.uri()))))
            .isEqualTo("rw-r--r--");
    }

    @Test
    void aConfiguredModeIsTheObjectsModeAfterEveryPut() throws Exception {
        assumePosix();
        ClaimCheckStore store = ClaimCheckStores.forUri(root.toString(), ObjectPermissions.parse("0640"));
        store.put("r", new byte[] {1}, "video/mp4", "mp4");
        StoredObject o = store.put("r", new byte[] {2}, "video/mp4", "mp4"); // a replay replaces it, mode too
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(o.uri()))))
            .isEqualTo("rw-r-----");
        assertThat(ClaimCheckStores.forUri(root.toString(), ObjectPermissions.parse("rw-------"))
            .put("s", new byte[] {1}, "video/mp4", "mp4").uri()).satisfies(u ->
            assertThat(Files.getPosixFilePermissions(Path.of(u))).isEqualTo(PosixFilePermissions.fromString("rw-------")));
    }

    @Test
    void parsesOctalAndSymbolicModesAndRefusesOthers() {
        assertThat(ObjectPermissions.parse("644")).isEqualTo(ObjectPermissions.DEFAULT);
        assertThat(ObjectPermissions.parse("0755").symbolic()).isEqualTo("rwxr-xr-x");
        assertThat(ObjectPermissions.parse(" rw-r----- ").symbolic()).isEqualTo("rw-r-----");
        assertThatThrownBy(() -> ObjectPermissions.parse("0999")).hasMessageContaining("octal (0644) or symbolic");
        assertThatThrownBy(() -> ObjectPermissions.parse("everyone")).hasMessageContaining("not 'everyone'");
    }

    private void assumePosix() {
        assumeTrue(root.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
    }
}
