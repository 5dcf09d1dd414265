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

/** The video of a result, inline or behind its claim-check reference, saved under its request id. */
public final class ResultVideos {
    private ResultVideos() {
    }

    /** {@link #save(GenerationResult, Path, VideoFetcher)} for inline videos and {@code file:} references. */
    public static Path save(GenerationResult r, Path dir) throws IOException {
        return save(r, dir, new LocalVideoFetcher());
    }

    /**
     * Writes {@code <dir>/<request id>.<extension of its MIME type>} and returns the path. The bytes are checked
     * against the size and SHA-256 the result carries, so a truncated or replaced object is an error, not a file.
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
        Path file = dir.resolve(r.getRequestId() + "." + MediaTypes.extension(v.getMimeType()));
        Files.write(file, bytes);
        return file;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
