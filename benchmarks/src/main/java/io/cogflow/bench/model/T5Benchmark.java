package io.cogflow.bench.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.t5.T5Config;
import io.cogflow.model.t5.T5TextEncoder;
import io.cogflow.model.tf.RandomWeights;
import io.cogflow.model.tf.SessionOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** T5 encoder time per call and per prompt at several batch sizes, with seeded random weights and token ids. */
public final class T5Benchmark {

    public record Row(int batch, int length, double medianMs, double minMs, int runs) {
        @JsonProperty
        public double msPerPrompt() {
            return medianMs / batch;
        }
    }

    private final SessionOptions session;
    private final Timer timer;

    public T5Benchmark(SessionOptions session, int minRuns, double minSeconds) {
        this.session = session;
        this.timer = new Timer(minRuns, minSeconds);
    }

    /** The golden tiny encoder's config (d_model 32, 4 heads × 8, 2 layers, vocab 128). */
    public static T5Config tinyConfig() {
        return T5Config.from(ConfigJson.resource(T5Benchmark.class, "t5-tiny.json"));
    }

    public List<Row> run(T5Config config, int length, int[] batches) {
        List<Row> rows = new ArrayList<>();
        try (T5TextEncoder encoder = T5TextEncoder.withWeights(config, session, RandomWeights.gaussian(42))) {
            SplittableRandom r = new SplittableRandom(7);
            for (int b : batches) {
                long[][] ids = new long[b][length];
                for (long[] row : ids) {
                    for (int i = 0; i < length; i++) {
                        row[i] = r.nextInt(config.vocabSize());
                    }
                }
                Timer.Measurement m = timer.measure(() -> encoder.encode(ids));
                rows.add(new Row(b, length, m.medianMs(), m.minMs(), m.runs()));
            }
        }
        return rows;
    }
}
