package io.cogflow.cli;

import io.cogflow.bench.model.VideoEncodeBenchmark;
import io.cogflow.model.video.VideoFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cogflow bench encode}. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Time, size and PSNR of encoding a synthetic video (moving gradient, discs, a bar, grain) "
                + "to MP4, GIF and a PNG contact sheet. PSNR decodes the MP4 in process with FFmpeg's own H.264 "
                + "decoder and the GIF with javax.imageio."})
final class BenchEncode implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--frames", defaultValue = "49", description = "Video frames (default 49).")
    int frames;

    @Option(names = "--height", defaultValue = "480", description = "Frame height in pixels (default 480).")
    int height;

    @Option(names = "--width", defaultValue = "720", description = "Frame width in pixels (default 720).")
    int width;

    @Option(names = "--fps", defaultValue = "8", description = "Frames per second (default 8).")
    int fps;

    @Option(names = "--format", split = ",", defaultValue = "mp4,gif,png-sheet",
            description = "Formats: mp4, gif, png-sheet (default all).")
    List<String> formats;

    @Mixin
    TimingOptions timing;

    @Mixin
    JsonOutput json;

    /** The --json document; a row's psnr_db is null where it was not measured. */
    record Result(Machine machine, int fps, List<VideoEncodeBenchmark.Row> rows) {
    }

    @Override
    public Integer call() {
        PrintWriter out = json.text();
        List<VideoFormat> fs = new ArrayList<>();
        for (String s : formats) {
            try {
                fs.add(VideoFormat.parse(s));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        out.printf(Locale.ROOT, "cores %d, java %s, MP4 PSNR decoded by FFmpeg's h264 decoder%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        out.printf(Locale.ROOT, "video %d frames of %dx%d (HxW), %d fps%n%n", frames, height, width, fps);
        out.printf(Locale.ROOT, "%-10s %10s %11s %10s %12s %9s %6s  %s%n", "format", "first ms", "median ms",
                "ms/frame", "bytes", "PSNR dB", "runs", "encoder");
        out.flush();
        VideoEncodeBenchmark bench = new VideoEncodeBenchmark(timing.minRuns, timing.minSeconds);
        List<VideoEncodeBenchmark.Row> rows = bench.run(fs, frames, height, width, fps);
        for (VideoEncodeBenchmark.Row r : rows) {
            out.printf(Locale.ROOT, "%-10s %10.1f %11.1f %10.2f %,12d %9.2f %6d  %s%n",
                    r.format().name().toLowerCase(Locale.ROOT).replace('_', '-'), r.firstMs(), r.medianMs(),
                    r.msPerFrame(), r.bytes(), r.psnrDb(), r.runs(), r.encoder());
            out.flush();
        }
        json.result(new Result(Machine.current(), fps, rows));
        return 0;
    }
}
