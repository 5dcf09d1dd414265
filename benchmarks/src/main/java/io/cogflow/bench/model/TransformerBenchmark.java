package io.cogflow.bench.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cogflow.model.tf.RandomWeights;
import io.cogflow.model.tf.TfTensors;
import io.cogflow.model.transformer.DenoiserOptions;
import io.cogflow.model.transformer.LatentGrid;
import io.cogflow.model.transformer.TransformerConfig;
import io.cogflow.model.transformer.TransformerDenoiser;
import io.cogflow.model.transformer.TransformerFlops;
import io.cogflow.model.transformer.TransformerParameters;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Forward-pass timing of a transformer config at several batch sizes, next to the rate of one large MatMul
 * measured in the same process with the same threads, so results from a noisy machine compare as ratios.
 */
public final class TransformerBenchmark {

    /** A config and the call shape to time it on. */
    public record Case(String name, TransformerConfig config, int frames, int height, int width, int textLen) {
    }

    /** A measured batch; the derived rates are part of its data (JSON results carry them). */
    public record Row(String name, int batch, long tokens, double gflop, double medianMs, double minMs,
                      int runs) {
        @JsonProperty
        public double gflops() {
            return gflop / (medianMs / 1000);
        }

        @JsonProperty
        public double msPerSample() {
            return medianMs / batch;
        }
    }

    private final DenoiserOptions options;
    private final Timer timer;

    public TransformerBenchmark(DenoiserOptions options, int minRuns, double minSeconds) {
        this.options = options;
        this.timer = new Timer(minRuns, minSeconds);
    }

    /** GFLOP/s of an n×n×n float32 MatMul (median of the timed runs). */
    public double matmulGflops(int n) {
        try (Graph g = new Graph(); Session s = new Session(g, options.session().toConfigProto())) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> a = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
            Placeholder<TFloat32> b = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
            var c = tf.linalg.matMul(a, b);
            float[] data = RandomData.floats((long) n * n, 1);
            try (TFloat32 x = TfTensors.floats(new long[]{n, n}, data);
                 TFloat32 y = TfTensors.floats(new long[]{n, n}, data)) {
                double ms = timer.measure(() -> s.runner().feed(a, x).feed(b, y).fetch(c).run().close()).medianMs();
                return 2.0 * n * n * n / (ms / 1000) / 1e9;
            }
        }
    }

    public List<Row> run(Case c, int[] batches) {
        List<Row> rows = new ArrayList<>();
        try (TransformerDenoiser model = TransformerDenoiser.withWeights(c.config(), options,
                RandomWeights.gaussian(42))) {
            LatentGrid grid = LatentGrid.of(c.config(), c.frames(), c.height(), c.width());
            for (int b : batches) {
                long[] latentShape = {b, c.frames(), c.config().inChannels(), c.height(), c.width()};
                long[] textShape = {b, c.textLen(), c.config().textEmbedDim()};
                long[] t = new long[b];
                Arrays.fill(t, 500);
                try (TFloat32 latents = TfTensors.floats(latentShape, RandomData.floats(RandomData.count(latentShape), 2));
                     TFloat32 text = TfTensors.floats(textShape, RandomData.floats(RandomData.count(textShape), 3));
                     TInt64 steps = TfTensors.longs(t)) {
                    Timer.Measurement ms = timer.measure(() -> model.denoise(latents, steps, text).close());
                    double flop = TransformerFlops.forward(c.config(), b, grid, c.textLen());
                    rows.add(new Row(c.name(), b, grid.tokens() + c.textLen(), flop / 1e9, ms.medianMs(),
                            ms.minMs(), ms.runs()));
                }
            }
        }
        return rows;
    }

    public static long parameters(Case c) {
        return TransformerParameters.count(c.config());
    }
}
