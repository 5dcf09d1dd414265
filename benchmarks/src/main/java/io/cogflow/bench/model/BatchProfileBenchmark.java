package io.cogflow.bench.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.pipeline.BatchProfile;
import io.cogflow.model.pipeline.VideoGenerator;
import io.cogflow.model.transformer.LatentGrid;
import io.cogflow.model.transformer.TransformerConfig;
import io.cogflow.model.transformer.TransformerFlops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whole-batch generation cost of an exported model per bucket and batch size — the {@link BatchProfile} a batching
 * policy plans from — with the denoiser's achieved GFLOP/s per step (guidance doubles the rows it runs).
 */
public final class BatchProfileBenchmark {

    /** One measured batch: the profile point plus the transformer's arithmetic rate during denoising. */
    public record Row(String bucket, BatchProfile.Point point, int steps, double stepMs, double stepGflop) {
        @JsonProperty
        public double gflops() {
            return stepGflop / (stepMs / 1000);
        }

        @JsonProperty
        public double videosPerSecond() {
            return point.videosPerSecond();
        }
    }

    private final VideoGenerator generator;
    private final int runs;

    public BatchProfileBenchmark(VideoGenerator generator, int runs) {
        this.generator = generator;
        this.runs = runs;
    }

    public List<Row> run(ModelManifest.Size size, int steps, double guidance, int[] batches) {
        TransformerConfig config = TransformerConfig.from(ConfigJson.parse(generator.manifest().transformerConfig().toString()));
        LatentGrid grid = LatentGrid.of(config, size.paddedFrames(), size.latentHeight(), size.latentWidth());
        GenerationBenchmark bench = new GenerationBenchmark(generator, runs, guidance);
        List<Row> rows = new ArrayList<>();
        for (int b : batches) {
            GenerationBenchmark.Row r = bench.run(size.video(), steps, b);
            var m = r.median();
            int rowsPerCall = guidance > 1 ? 2 * b : b;
            double flop = TransformerFlops.forward(config, rowsPerCall, grid, generator.manifest().textLength());
            rows.add(new Row(size.video().toString(), new BatchProfile.Point(b, m.totalMs(), m.denoiseMs(),
                    m.decodeMs()), steps, m.msPerStep(), flop / 1e9));
        }
        return rows;
    }

    /** The profile file for rows of every bucket. */
    public static BatchProfile profile(String model, String machine, String date, int steps, double guidance,
                                       List<Row> rows) {
        Map<String, List<BatchProfile.Point>> buckets = new LinkedHashMap<>();
        for (Row r : rows) {
            buckets.computeIfAbsent(r.bucket(), k -> new ArrayList<>()).add(r.point());
        }
        return new BatchProfile(model, machine, date, steps, guidance, buckets);
    }
}
