package io.cogflow.connectors.claimcheck;

import java.util.Locale;
import java.util.Set;

/**
 * How a {@link FileSystemClaimCheckStore} makes a new object visible so that no reader ever sees part of it.
 *
 * <p>Chosen by URI scheme, because Flink 2.2's {@code FileSystem} no longer says what kind of store it is:
 * {@code getKind()} was removed in Flink 2.0 ({@code FileSystemKind} is still in flink-core, but nothing returns
 * it), and {@code isDistributedFS()} is {@code true} for HDFS and S3 alike. The object-store schemes below are
 * the ones Flink itself classed as object stores ({@code HadoopFileSystem.getKindForScheme}): S3, Aliyun OSS,
 * Azure Blob via WASB, Google Cloud Storage.
 *
 * <ul>
 *   <li>Object stores upload on {@code close()}: S3's PUT or completed multipart upload, a finalized GCS or OSS
 *       object, a committed block list on Azure Blob. The object is absent or complete, never partial, and a
 *       rename would be a server-side copy plus a delete, so a single {@code create(target, OVERWRITE)} is both
 *       atomic and the cheap way ({@link #DIRECT_WRITE}).</li>
 *   <li>File systems show a file while it is being written: a temporary file next to the target, renamed over
 *       it when complete ({@link #RENAME}). That covers HDFS, ViewFS and ABFS: Azure Data Lake Gen2 creates the
 *       file, empty, on {@code create} and shows appended data on flush, while its rename (with a hierarchical
 *       namespace) is an atomic metadata operation. Any scheme not named here is treated this way too: a rename
 *       is safe everywhere, only slower on an object store.</li>
 *   <li>The local disk ({@code file:}) gets {@link #ATOMIC_MOVE}: Flink's {@code LocalFileSystem.rename} is
 *       {@code Files.move(REPLACE_EXISTING)} without {@code ATOMIC_MOVE}, which on Linux unlinks the target before
 *       renaming (checked with strace), so a reader could find the object missing for a moment.</li>
 * </ul>
 */
enum Publication {
    /** Temporary file, then {@code java.nio.file.Files.move(ATOMIC_MOVE, REPLACE_EXISTING)}: one rename(2). */
    ATOMIC_MOVE,
    /**
     * Temporary file, then {@code FileSystem.rename}. HDFS refuses to rename onto an existing file (it returns
     * {@code false}, as the Hadoop file-system specification allows); then the old object is deleted first, so
     * during a replay it can be absent for a moment, but it is never partial.
     */
    RENAME,
    /** One {@code create(target, OVERWRITE)}; the object appears when the stream's {@code close()} returns. */
    DIRECT_WRITE;

    private static final Set<String> OBJECT_STORES = Set.of("s3", "s3a", "s3n", "s3p", "gs", "oss", "wasb", "wasbs");

    static Publication forScheme(String scheme) {
        String s = scheme.toLowerCase(Locale.ROOT);
        if (s.equals("file")) {
            return ATOMIC_MOVE;
        }
        return OBJECT_STORES.contains(s) ? DIRECT_WRITE : RENAME;
    }
}
