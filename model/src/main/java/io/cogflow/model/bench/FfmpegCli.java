package io.cogflow.model.bench;

import io.cogflow.model.video.VideoFrames;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code ffmpeg}/{@code ffprobe} programs, when they are on PATH: an independent decoder to check encoded files
 * against (the library that wrote a file is a poor judge of it).
 */
public final class FfmpegCli {
    private FfmpegCli() {
    }

    /** Whether {@code program} (ffmpeg, ffprobe) is an executable on PATH. */
    public static boolean available(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Decodes every frame of a video file to RGB (ffmpeg's default BT.601 limited-range conversion). */
    public static Optional<VideoFrames> decodeRgb(byte[] file, String extension, int height, int width) {
        if (!available("ffmpeg")) {
            return Optional.empty();
        }
        Path tmp = write(file, extension);
        try {
            byte[] raw = run(List.of("ffmpeg", "-v", "error", "-i", tmp.toString(), "-f", "rawvideo", "-pix_fmt",
                    "rgb24", "-"));
            int frameBytes = height * width * 3;
            if (raw.length % frameBytes != 0) {
                throw new IllegalStateException("ffmpeg decoded " + raw.length + " bytes, not a multiple of a "
                        + height + "×" + width + " frame");
            }
            return Optional.of(new VideoFrames(raw.length / frameBytes, height, width, raw));
        } finally {
            delete(tmp);
        }
    }

    /** {@code ffprobe -count_frames} of the first video stream: codec_name, width, height, r_frame_rate, nb_read_frames. */
    public static Optional<String> probe(byte[] file, String extension) {
        if (!available("ffprobe")) {
            return Optional.empty();
        }
        Path tmp = write(file, extension);
        try {
            return Optional.of(new String(run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0",
                    "-count_frames", "-show_entries", "stream=codec_name,width,height,r_frame_rate,nb_read_frames",
                    "-of", "default=noprint_wrappers=1", tmp.toString())), StandardCharsets.UTF_8));
        } finally {
            delete(tmp);
        }
    }

    private static byte[] run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " exited with " + rc);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path write(byte[] file, String extension) {
        try {
            Path tmp = Files.createTempFile("cogflow-probe-", "." + extension);
            Files.write(tmp, file);
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file does not change the result
        }
    }
}
