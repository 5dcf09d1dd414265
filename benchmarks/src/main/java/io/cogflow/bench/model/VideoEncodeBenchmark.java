package io.cogflow.bench.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cogflow.model.video.FfmpegDecoder;
import io.cogflow.model.video.GifFrames;
import io.cogflow.model.video.Psnr;
import io.cogflow.model.video.SyntheticVideo;
import io.cogflow.model.video.VideoEncoder;
import io.cogflow.model.video.VideoEncoders;
import io.cogflow.model.video.VideoFormat;
import io.cogflow.model.video.VideoFrames;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Encode time, output size and quality of each video format on a {@link SyntheticVideo}. Quality is the PSNR of
 * the decoded frames against the input: MP4 decoded by FFmpeg's own H.264 decoder ({@link FfmpegDecoder}; the
 * file was written by libopenh264), GIF by javax.imageio; a contact sheet is not a reproduction and has none.
 */
public final class VideoEncodeBenchmark {

    public record Row(VideoFormat format, String encoder, int frames, int height, int width, double firstMs,
                      double medianMs, double minMs, int runs, int bytes, double psnrDb) {
        @JsonProperty
        public double msPerFrame() {
            return medianMs / frames;
        }
    }

    private final Timer timer;

    public VideoEncodeBenchmark(int minRuns, double minSeconds) {
        this.timer = new Timer(minRuns, minSeconds);
    }

    public List<Row> run(List<VideoFormat> formats, int frames, int height, int width, int fps) {
        VideoFrames video = SyntheticVideo.frames(frames, height, width, 7);
        List<Row> rows = new ArrayList<>();
        for (VideoFormat f : formats) {
            rows.add(run(f, VideoEncoders.describe(f), VideoEncoders.forFormat(f), video, fps));
        }
        return rows;
    }

    /** One encoder; "first" is the first call in this JVM for it (class loading, native library extraction). */
    public Row run(VideoFormat format, String name, VideoEncoder encoder, VideoFrames video, int fps) {
        long t0 = System.nanoTime();
        byte[] out = encoder.encode(video, fps);
        double firstMs = (System.nanoTime() - t0) / 1e6;
        Timer.Measurement m = timer.measure(() -> encoder.encode(video, fps));
        return new Row(format, name, video.frames(), video.height(), video.width(), firstMs, m.medianMs(), m.minMs(),
                m.runs(), out.length, psnr(format, out, video));
    }

    private static double psnr(VideoFormat format, byte[] out, VideoFrames video) {
        Optional<VideoFrames> decoded = switch (format) {
            case MP4 -> Optional.of(FfmpegDecoder.decodeRgb(out));
            case GIF -> Optional.of(GifFrames.read(out));
            case PNG_SHEET -> Optional.empty();
        };
        // odd sizes are padded for H.264; compare only shapes that match
        return decoded.filter(d -> d.height() == video.height() && d.width() == video.width())
                .map(d -> Psnr.db(video, d)).orElse(Double.NaN);
    }
}
