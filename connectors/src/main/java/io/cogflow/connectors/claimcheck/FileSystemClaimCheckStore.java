package io.cogflow.connectors.claimcheck;

import io.cogflow.client.claimcheck.ClaimCheckNames;
import io.cogflow.client.claimcheck.Sha256;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * A {@link ClaimCheckStore} on a directory of any file system Flink can reach: {@code file:} (local disk or a
 * shared mount), {@code hdfs:}, and the object stores a Flink cluster has plugins for ({@code s3://bucket/prefix},
 * {@code gs://…}, {@code abfs://…}). Consumers read objects back with {@link ClaimCheckStores#fetch(URI)} through
 * the same file systems.
 *
 * <p>Objects are named by {@link ClaimCheckNames} and sit directly in the directory; their URIs are the directory's
 * plus {@code /<name>} ({@code file:///shared/results/req-1-0123456789abcdef.mp4}). How a write becomes visible
 * depends on the file system, see {@link Publication}: either way a reader sees the old object or the whole new
 * one (or, for {@link Publication#RENAME} during a replay, briefly none), never part of one.
 *
 * <p>{@link java.io.Serializable} for Flink operators: only the directory URI travels; the {@link FileSystem} is
 * looked up again where the store is used. The constructor looks it up once, so a scheme without a file system
 * fails where the store is created (the operator's {@code open()}), not at the first large video.
 */
public final class FileSystemClaimCheckStore implements ClaimCheckStore {
    private static final long serialVersionUID = 3L;

    private final URI directory;
    private final Publication publication;
    private final ObjectPermissions permissions;
    private transient FileSystem fileSystem;

    /**
     * @param directory an absolute, hierarchical URI without query or fragment ({@code file:///dir},
     *                  {@code s3://bucket/prefix}); a trailing slash is ignored. {@link ClaimCheckStores#forUri}
     *                  also accepts plain paths.
     * @throws org.apache.flink.core.fs.UnsupportedFileSystemSchemeException if no file system serves its scheme
     */
    public FileSystemClaimCheckStore(URI directory) throws IOException {
        this(directory, ObjectPermissions.DEFAULT);
    }

    /**
     * @param permissions the mode of objects on a {@code file:} store (shared mounts); other file systems use
     *                    their own ACLs, see {@link ObjectPermissions}
     */
    public FileSystemClaimCheckStore(URI directory, ObjectPermissions permissions) throws IOException {
        this.directory = canonical(Objects.requireNonNull(directory, "directory"));
        this.publication = Publication.forScheme(this.directory.getScheme());
        this.permissions = Objects.requireNonNull(permissions, "permissions");
        fileSystem();
    }

    /** The directory, canonical: no trailing slash, {@code file:///…} for local paths. */
    public URI directory() {
        return directory;
    }

    @Override
    public StoredObject put(String requestId, byte[] data, String mimeType, String extension) throws IOException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(mimeType, "mimeType");
        String sha256 = Sha256.hex(data);
        String name = ClaimCheckNames.of(requestId, sha256, extension);
        URI uri = URI.create(directory + "/" + name);
        if (publication == Publication.DIRECT_WRITE) {
            write(new Path(uri), data, WriteMode.OVERWRITE);
        } else {
            writeThenMove(name, new Path(uri), data);
        }
        return new StoredObject(uri, data.length, sha256, mimeType);
    }

    @Override
    public byte[] get(URI uri) throws IOException {
        Objects.requireNonNull(uri, "uri");
        URI object = uri.normalize();
        if (!isObjectOfThisStore(object)) {
            throw new IllegalArgumentException(uri + " is not an object of the claim-check store in " + directory);
        }
        return ClaimCheckFileSystems.read(fileSystem(), object);
    }

    @Override
    public String toString() {
        return "FileSystemClaimCheckStore[" + directory + ", " + publication
            + (publication == Publication.ATOMIC_MOVE ? ", " + permissions.symbolic() : "") + "]";
    }

    private void writeThenMove(String name, Path target, byte[] data) throws IOException {
        // a dot name in the same directory: never an object name (ClaimCheckNames), skipped by Hadoop-style listings
        Path temp = new Path(URI.create(directory + "/.tmp-" + name + "-" + UUID.randomUUID() + ".part"));
        try {
            write(temp, data, WriteMode.NO_OVERWRITE);
            if (publication == Publication.ATOMIC_MOVE) {
                moveLocally(temp, target, permissions);
            } else {
                rename(temp, target);
            }
        } catch (IOException | RuntimeException e) {
            try {
                fileSystem().delete(temp, false);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void write(Path path, byte[] data, WriteMode mode) throws IOException {
        // for an object store, close() is the upload: its failure must fail the put, which try-with-resources does
        try (FSDataOutputStream out = fileSystem().create(path, mode)) {
            out.write(data);
        }
    }

    private static void moveLocally(Path temp, Path target, ObjectPermissions permissions) throws IOException {
        java.nio.file.Path from = java.nio.file.Path.of(temp.toUri());
        java.nio.file.Path to = java.nio.file.Path.of(target.toUri());
        // on the temporary file, before the move: the object never appears with the creating process's mode
        permissions.applyTo(from);
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // a file system without rename(2) semantics (some FUSE mounts): replace as well as it can
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void rename(Path temp, Path target) throws IOException {
        FileSystem fs = fileSystem();
        if (fs.rename(temp, target)) {
            return;
        }
        if (fs.exists(target) && fs.delete(target, false) && fs.rename(temp, target)) {
            return;
        }
        throw new IOException("could not rename " + temp + " to " + target);
    }

    /** Whether {@code uri} names an object directly in this store's directory (not whether it exists). */
    public boolean holds(URI uri) {
        return isObjectOfThisStore(Objects.requireNonNull(uri, "uri").normalize());
    }

    private boolean isObjectOfThisStore(URI object) {
        String path = object.getPath();
        if (object.isOpaque() || path == null || object.getQuery() != null || object.getFragment() != null
            || !directory.getScheme().equalsIgnoreCase(object.getScheme())
            || !Objects.equals(directory.getAuthority(), object.getAuthority())) {
            return false;
        }
        int slash = path.lastIndexOf('/');
        return slash >= 0 && path.substring(0, slash).equals(directory.getPath())
            && ClaimCheckNames.isObjectName(path.substring(slash + 1));
    }

    private FileSystem fileSystem() throws IOException {
        if (fileSystem == null) {
            fileSystem = ClaimCheckFileSystems.get(directory);
        }
        return fileSystem;
    }

    /**
     * Scheme lower-cased, path normalized and without a trailing slash, {@code file:} with an empty authority so
     * it prints as {@code file:///…} (what most tools expect) rather than {@code file:/…}.
     */
    static URI canonical(URI uri) {
        if (uri.getScheme() == null || uri.isOpaque() || uri.getRawPath() == null) {
            throw new IllegalArgumentException("a claim-check directory needs an absolute hierarchical URI "
                + "(file:///dir, s3://bucket/prefix): " + uri);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("a claim-check directory URI has no query or fragment: " + uri);
        }
        String path = uri.normalize().getRawPath();
        if (path.startsWith("/..") || !path.isEmpty() && !path.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute directory path: " + uri);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        if (authority.isEmpty() && !scheme.equals("file")) {
            // hdfs:///dir (the default name node): "hdfs:" + path, or the root would read "hdfs://" + name
            if (path.isEmpty()) {
                throw new IllegalArgumentException("name a directory below the root: " + uri);
            }
            return URI.create(scheme + ":" + path);
        }
        return URI.create(scheme + "://" + authority + path);
    }
}
