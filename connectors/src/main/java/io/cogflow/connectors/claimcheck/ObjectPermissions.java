package io.cogflow.connectors.claimcheck;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * The POSIX mode of claim-check objects on a local or mounted file system ({@code file:}). The default,
 * {@code rw-r--r--} (0644), lets consumers running as other users of a shared mount read the videos; a stricter
 * mode ({@code 0640} plus a shared group, or {@code 0600}) keeps them to the job's user.
 *
 * <p>Object stores and HDFS ({@code s3:}, {@code gs:}, {@code hdfs:}) ignore this: their own ACLs, bucket
 * policies or HDFS permissions decide who reads, and a file system without POSIX attributes keeps its default.
 *
 * @param symbolic {@code rwxr-x---} form, as {@link PosixFilePermissions#fromString} takes it
 */
public record ObjectPermissions(String symbolic) implements Serializable {
    public static final ObjectPermissions DEFAULT = new ObjectPermissions("rw-r--r--");

    public ObjectPermissions {
        Objects.requireNonNull(symbolic, "symbolic");
        PosixFilePermissions.fromString(symbolic); // refuses a malformed mode where it is configured
    }

    /** Octal ({@code 0644}, {@code 640}) or symbolic ({@code rw-r--r--}). */
    public static ObjectPermissions parse(String mode) {
        String m = Objects.requireNonNull(mode, "mode").strip();
        if (!m.matches("0?[0-7]{3}")) {
            try {
                return new ObjectPermissions(m);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a claim-check file mode is octal (0644) or symbolic (rw-r--r--),"
                    + " not '" + mode + "'");
            }
        }
        int bits = Integer.parseInt(m, 8);
        StringBuilder s = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int b = bits >> shift;
            s.append((b & 4) != 0 ? 'r' : '-').append((b & 2) != 0 ? 'w' : '-').append((b & 1) != 0 ? 'x' : '-');
        }
        return new ObjectPermissions(s.toString());
    }

    public Set<PosixFilePermission> permissions() {
        return PosixFilePermissions.fromString(symbolic);
    }

    /** Sets the mode where the file system has POSIX permissions; elsewhere (Windows, some FUSE mounts) a no-op. */
    void applyTo(Path file) throws IOException {
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(file, permissions());
        }
    }
}
