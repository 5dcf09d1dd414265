package io.cogflow.connectors.claimcheck;

import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.local.LocalFileSystem;

import java.io.IOException;
import java.net.URI;

/**
 * Flink's {@link LocalFileSystem} under the scheme {@code noreplace}, with the one rule of HDFS that the store has
 * to work around: {@code rename} never replaces an existing file, it returns {@code false}. No HDFS is reachable from the tests; this runs {@link Publication#RENAME} on a real disk with
 * that rule. Registered in {@code META-INF/services/org.apache.flink.core.fs.FileSystemFactory} (test resources).
 */
public final class NoReplaceRenameFileSystem extends LocalFileSystem {
    static final String SCHEME = "noreplace";

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        return !exists(dst) && super.rename(src, dst);
    }

    @Override
    public boolean isDistributedFS() {
        return true;
    }

    public static final class Factory implements FileSystemFactory {
        @Override
        public String getScheme() {
            return SCHEME;
        }

        @Override
        public FileSystem create(URI fsUri) {
            return new NoReplaceRenameFileSystem();
        }
    }
}
