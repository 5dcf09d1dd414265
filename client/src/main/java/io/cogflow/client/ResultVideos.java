package io.cogflow.client;

import io.cogflow.client.claimcheck.LocalVideoFetcher;
import io.cogflow.client.claimcheck.Sha256;
import io.cogflow.client.claimcheck.VideoFetcher;
import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.Video;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The video of a result, inline or behind its claim-check reference, saved under its request id. Results come
 * from a topic anyone with write access can fill, so neither the id nor the reference is trusted: the file name
 * is never a path ({@link VideoFileNames}) and references are read only from configured stores.
 */
public final class ResultVideos {
    private ResultVideos() {
    }

    /** {@link #save(GenerationResult, Path, VideoFetcher)} for inline videos only; a reference is refused. */
    public static Path save(GenerationResult r, Path dir) throws IOException {
        return save(r, dir, List.of());
    }

    /**
     * {@link #save(GenerationResult, Path, VideoFetcher)} for inline videos and {@code file:} references into one
     * of {@code stores} (local claim-check store directories, see {@link LocalVideoFetcher}).
     */
    public static Path save(GenerationResult r, Path dir, List<URI> stores) throws IOException {
        return save(r, dir, new LocalVideoFetcher(stores));
    }

    /**
     * Writes {@code <dir>/<request id>.<extension of its MIME type>} (an id that is not a plain name is
     * sanitised, {@link VideoFileNames}) and returns the path. The bytes are checked against the size and SHA-256
     * the result carries, so a truncated or replaced object is an error, not a file. {@code fetcher} decides which
     * references may be read.
     */
    public static Path save(GenerationResult r, Path dir, VideoFetcher fetcher) throws IOException {
        Video v = r.getVideo();
        if (v == null) {
            throw new IllegalArgumentException("result " + r.getRequestId() + " has no video (" + r.getStatus() + ")");
        }
        byte[] bytes = v.getInline() != null ? bytes(v.getInline()) : fetcher.fetch(URI.create(v.getUri()));
        if (bytes.length != v.getSizeBytes() || !Sha256.hex(bytes).equals(v.getSha256())) {
            throw new IOException("video of " + r.getRequestId() + " does not match its result: " + bytes.length
                + " bytes, expected " + v.getSizeBytes() + " with SHA-256 " + v.getSha256());
        }
        String name = VideoFileNames.of(r.getRequestId().toString(), MediaTypes.extension(v.getMimeType()));
        if (Path.of(name).getParent() != null || name.startsWith(".")) { // VideoFileNames never makes one; stays so
            throw new IllegalStateException("refusing to save under the name " + name + ": not a plain file name");
        }
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
