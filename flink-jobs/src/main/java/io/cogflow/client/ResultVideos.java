package io.cogflow.client;

import io.cogflow.connectors.claimcheck.ClaimCheckStores;
import io.cogflow.model.video.VideoFormat;
import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.Video;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The video of a result, inline or behind its claim-check reference, saved under its request id. */
public final class ResultVideos {
    private ResultVideos() {
    }

    /** Writes {@code <dir>/<request id>.<extension of its MIME type>} and returns the path. */
    public static Path save(GenerationResult r, Path dir) throws IOException {
        Video v = r.getVideo();
        if (v == null) {
            throw new IllegalArgumentException("result " + r.getRequestId() + " has no video (" + r.getStatus() + ")");
        }
        byte[] bytes = v.getInline() != null ? bytes(v.getInline()) : ClaimCheckStores.fetch(URI.create(v.getUri()));
        String ext = Arrays.stream(VideoFormat.values()).filter(f -> f.mimeType().equals(v.getMimeType()))
                .map(VideoFormat::extension).findFirst().orElse("bin");
        Path file = dir.resolve(r.getRequestId() + "." + ext);
        Files.write(file, bytes);
        return file;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
