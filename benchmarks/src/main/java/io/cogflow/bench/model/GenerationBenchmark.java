package io.cogflow.bench.model;

import io.cogflow.model.pipeline.GeneratedVideo;
import io.cogflow.model.pipeline.GenerationInput;
import io.cogflow.model.pipeline.ProgressListener;
import io.cogflow.model.pipeline.PipelineTimings;
import io.cogflow.model.pipeline.VideoGenerator;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.video.VideoEncoders;
import io.cogflow.model.video.VideoFormat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Per-stage times of whole generations on an exported model (tokenize, encode text, noise, denoise, decode, and
 * the MP4 encode that follows), as medians over several warm runs: what one request costs end to end.
 */
public final class GenerationBenchmark {

    /** Median milliseconds per stage for one batch size. */
    public record Row(int batch, PipelineTimings median, double encodeMsPerVideo, int runs) {
    }

    private final VideoGenerator generator;
    private final int runs;
    private final double guidance;

    public GenerationBenchmark(VideoGenerator generator, int runs, double guidance) {
        this.generator = generator;
        this.runs = runs;
        this.guidance = guidance;
    }

    public Row run(VideoSize size, int steps, int batch) {
        List<GenerationInput> requests = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            requests.add(new GenerationInput("bench-" + i, "a red circle moving left on a black background", "",
                    size, steps, guidance, false, i, null));
        }
        var mp4 = VideoEncoders.forFormat(VideoFormat.MP4);
        List<PipelineTimings> timings = new ArrayList<>();
        double[] encode = new double[runs];
        for (int r = -2; r < runs; r++) {
            List<GeneratedVideo> out = generator.generate(requests, ProgressListener.NONE);
            long t0 = System.nanoTime();
            out.forEach(v -> mp4.encode(v.frames(), 8));
            if (r >= 0) {
                timings.add(out.get(0).timings());
                encode[r] = (System.nanoTime() - t0) / 1e6 / batch;
            }
        }
        PipelineTimings median = new PipelineTimings(median(timings, PipelineTimings::tokenizeMs),
                median(timings, PipelineTimings::encodeTextMs), median(timings, PipelineTimings::noiseMs),
                median(timings, PipelineTimings::denoiseMs), timings.get(0).steps(), median(timings, PipelineTimings::decodeMs),
                median(timings, PipelineTimings::totalMs));
        return new Row(batch, median, median(encode), runs);
    }

    private static double median(List<PipelineTimings> list, ToDoubleFunction<PipelineTimings> f) {
        return median(list.stream().mapToDouble(f).toArray());
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
