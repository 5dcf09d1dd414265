package io.cogflow.connectors.claimcheck;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.UnsupportedFileSystemSchemeException;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;

/** The claim check's way into Flink's file systems: lookup with an error that says what to install, and reads. */
final class ClaimCheckFileSystems {
    private ClaimCheckFileSystems() {
    }

    /**
     * {@code FileSystem.get}, with a missing file system reported as what to do about it. Flink's own message
     * names the plugin(s) for the schemes it knows (e.g. {@code flink-s3-fs-hadoop, flink-s3-fs-presto} for
     * {@code s3}) and is kept in ours.
     */
    static FileSystem get(URI uri) throws IOException {
        try {
            return FileSystem.get(uri);
        } catch (UnsupportedFileSystemSchemeException e) {
            throw new UnsupportedFileSystemSchemeException("no file system for scheme '" + uri.getScheme()
                + "' is available in this JVM, so " + uri + " cannot be used for claim-check objects. A Flink "
                + "cluster loads it from a plugin (the plugin's jar in its own folder under plugins/); another JVM "
                + "needs the same jar on its classpath, or in $FLINK_PLUGINS_DIR with "
                + "ClaimCheckStores.initializeFileSystems(config) (docs/kafka.md). Flink: " + e.getMessage(), e);
        }
    }

    /** All bytes of an object; a missing one is a {@link FileNotFoundException} that names it. */
    static byte[] read(FileSystem fs, URI uri) throws IOException {
        try (FSDataInputStream in = fs.open(new Path(uri))) {
            return in.readAllBytes();
        } catch (FileNotFoundException e) {
            FileNotFoundException missing = new FileNotFoundException("no claim-check object at " + uri
                + " (expired, deleted, or never stored?)");
            missing.initCause(e);
            throw missing;
        }
    }
}
