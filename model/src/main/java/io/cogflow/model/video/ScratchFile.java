package io.cogflow.model.video;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A temporary file for FFmpeg, which reads and writes paths: MP4 needs seeking (the index is written last and
 * read first), which a file gives for free. Created, handed to the work, and always deleted afterwards.
 */
final class ScratchFile {
    @FunctionalInterface
    interface Work<T> {
        T on(Path file) throws IOException;
    }

    private ScratchFile() {
    }

    static <T> T use(String suffix, Work<T> work) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("cogflow-", suffix);
            return work.on(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temp file does not change what was encoded or decoded
                }
            }
        }
    }
}
