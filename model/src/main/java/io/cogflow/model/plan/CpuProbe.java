package io.cogflow.model.plan;

import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.tf.TfTensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * This machine as a {@link DeviceSpec}, measured through TensorFlow with the session options the model runs
 * with: a float32 and a bf16 MatMul (product peaks); a large element-wise multiply (memory bandwidth); chains of
 * multiplies on two small tensor sizes, whose difference gives the in-cache bandwidth; a chain of tiny
 * transformer-like blocks (the executor's cost per op); and a one-op run (the per-run cost). Takes a few seconds.
 */
public final class CpuProbe {
    private static final int MATMUL = 1024;
    private static final int STREAM = 1 << 24;
    private static final int CHAIN = 200;
    /** The two chain tensor sizes: 64 KB and 1 MB of float32, both inside a core's L2. */
    private static final int SMALL = 1 << 14;
    private static final int LARGER = 1 << 18;
    /** Side of the tensors of the per-op probe: dispatch is all its ops cost. */
    private static final int TINY = 8;
    private static final int BLOCKS = 40;
    private static final int RUNS = 10;
    /**
     * Runs, and at least this long, before timing: the first runs of a new shape are slow (executor, oneDNN
     * primitives, thread pools), and early in a JVM its compiler threads take cores from the probe.
     */
    private static final int WARM_UP = 3;
    private static final long WARM_UP_NANOS = 300_000_000L;
    private static final long FALLBACK_CACHE = 1 << 20;

    private final SessionOptions options;

    public CpuProbe(SessionOptions options) {
        this.options = options;
    }

    public DeviceSpec measure() {
        try (Graph g = new Graph(); Session s = new Session(g, options.toConfigProto())) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> a = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(MATMUL, MATMUL)));
            Placeholder<TFloat32> b = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(MATMUL, MATMUL)));
            Placeholder<TBfloat16> h = tf.placeholder(TBfloat16.class, Placeholder.shape(Shape.of(MATMUL, MATMUL)));
            Placeholder<TBfloat16> k = tf.placeholder(TBfloat16.class, Placeholder.shape(Shape.of(MATMUL, MATMUL)));
            Operand<TBfloat16> narrow = tf.dtypes.cast(a, TBfloat16.class);
            Operand<TBfloat16> narrowB = tf.dtypes.cast(b, TBfloat16.class);
            // two distinct operands: oneDNN handles a product of a tensor with itself differently
            Operand<TFloat32> f32 = tf.linalg.matMul(a, b);
            Operand<TBfloat16> bf16 = tf.linalg.matMul(h, k);
            Placeholder<TFloat32> big = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(STREAM)));
            Operand<TFloat32> scaled = tf.math.mul(big, tf.constant(0.5f));
            Chain small = chain(tf, SMALL);
            Chain larger = chain(tf, LARGER);
            Placeholder<TFloat32> tiny = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(TINY, TINY)));
            Operand<TFloat32> mixed = tiny;
            for (int i = 0; i < BLOCKS; i++) {
                mixed = block(tf, mixed, tiny);
            }
            Operand<TFloat32> mixedChain = mixed;
            // every node the chain runs, as the planner counts them: all but the fed placeholder
            int mixedOps = PlanGraph.of(g.toGraphDef(), mixedChain.op().name()).nodes().size() - 1;
            Operand<TFloat32> single = tf.math.mul(small.x, small.ones);
            try (TFloat32 x = TfTensors.floats(new long[]{MATMUL, MATMUL}, uniform(MATMUL * MATMUL, 1));
                 TFloat32 x2 = TfTensors.floats(new long[]{MATMUL, MATMUL}, uniform(MATMUL * MATMUL, 2));
                 TFloat32 y = TfTensors.floats(new long[]{STREAM}, new float[STREAM]);
                 TFloat32 ones = TfTensors.floats(new long[]{LARGER}, ones(LARGER));
                 TFloat32 fewOnes = TfTensors.floats(new long[]{SMALL}, ones(SMALL));
                 TFloat32 eye = TfTensors.floats(new long[]{TINY, TINY}, identity());
                 TBfloat16 xh = (TBfloat16) s.runner().feed(a, x).fetch(narrow).run().get(0);
                 TBfloat16 xh2 = (TBfloat16) s.runner().feed(b, x2).fetch(narrowB).run().get(0)) {
                double flop = 2.0 * MATMUL * MATMUL * MATMUL;
                double fp32 = flop / fastest(() -> s.runner().feed(a, x).feed(b, x2).fetch(f32).run().close());
                double bf = flop / fastest(() -> s.runner().feed(h, xh).feed(k, xh2).fetch(bf16).run().close());
                double bandwidth = 2.0 * 4 * STREAM
                        / fastest(() -> s.runner().feed(big, y).fetch(scaled).run().close());
                double run = fastest(() -> s.runner().feed(small.x, fewOnes).feed(small.ones, fewOnes).fetch(single)
                        .run().close());
                double perSmall = (fastest(() -> s.runner().feed(small.x, fewOnes).feed(small.ones, fewOnes)
                        .fetch(small.out).run().close()) - run) / CHAIN;
                double perLarger = (fastest(() -> s.runner().feed(larger.x, ones).feed(larger.ones, ones)
                        .fetch(larger.out).run().close()) - run) / CHAIN;
                // each multiply reads two tensors and writes one: t = op + 12·n / cache bandwidth
                double cacheBandwidth = 12.0 * (LARGER - SMALL) / Math.max(perLarger - perSmall, 1e-9);
                double op = (fastest(() -> s.runner().feed(tiny, eye).fetch(mixedChain).run().close()) - run)
                        / mixedOps;
                long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getTotalMemorySize();
                int cores = Runtime.getRuntime().availableProcessors();
                long cache = secondLevelCache() * cores;
                return new DeviceSpec("cpu", bf, 0, fp32, fp32, bandwidth, cache, cacheBandwidth, memory, op, run,
                        String.format(Locale.ROOT, "measured now on this machine (%d cores) through TensorFlow: "
                                        + "%d³ MatMul float32 %.0f and bf16 %.0f GFLOP/s; %d MB multiply %.1f GB/s; "
                                        + "in-cache (ops up to %d KB, the cores' L2) %.1f GB/s; %.1f µs per op; "
                                        + "%.0f µs per run", cores, MATMUL, fp32 / 1e9, bf / 1e9,
                                STREAM * 4 / 1_000_000, bandwidth / 1e9, cache / 1024, cacheBandwidth / 1e9,
                                op * 1e6, run * 1e6));
            }
        }
    }

    private record Chain(Placeholder<TFloat32> x, Placeholder<TFloat32> ones, Operand<TFloat32> out) {
    }

    /** x · ones · ones …: grappler cannot fold a product with a fed tensor, so every multiply runs. */
    private static Chain chain(Ops tf, int n) {
        Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n)));
        Placeholder<TFloat32> ones = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n)));
        Operand<TFloat32> y = x;
        for (int i = 0; i < CHAIN; i++) {
            y = tf.math.mul(y, ones);
        }
        return new Chain(x, ones, y);
    }

    /**
     * The op mix of a transformer layer on a tiny tensor — a layer norm (reductions, element-wise ops and their
     * constants), a MatMul with bias, a softmax, a reshape, a transpose and a split/concat — so that the per-op
     * cost is that of the kinds of op real graphs dispatch, not of the cheapest one.
     */
    private static Operand<TFloat32> block(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w) {
        Operand<org.tensorflow.types.TInt32> last = tf.constant(new int[]{-1});
        Operand<TFloat32> mean = tf.math.mean(x, last, org.tensorflow.op.math.Mean.keepDims(true));
        Operand<TFloat32> centered = tf.math.sub(x, mean);
        Operand<TFloat32> variance = tf.math.mean(tf.math.square(centered), last,
                org.tensorflow.op.math.Mean.keepDims(true));
        Operand<TFloat32> y = tf.math.mul(centered, tf.math.rsqrt(tf.math.add(variance, tf.constant(1e-5f))));
        y = tf.nn.biasAdd(tf.linalg.matMul(y, w), tf.constant(new float[TINY]));
        y = tf.nn.softmax(y);
        y = tf.linalg.transpose(tf.reshape(y, tf.constant(new long[]{TINY, 2, TINY / 2})),
                tf.constant(new int[]{1, 0, 2}));
        java.util.List<Operand<TFloat32>> halves = io.cogflow.model.tf.Layers.split(tf, y, 0, 1, 1);
        y = tf.concat(java.util.List.of(halves.get(1), halves.get(0)), tf.constant(0));
        return tf.math.add(tf.reshape(tf.linalg.transpose(y, tf.constant(new int[]{1, 0, 2})),
                tf.constant(new long[]{TINY, TINY})), x);
    }

    private static float[] identity() {
        float[] v = new float[TINY * TINY];
        for (int i = 0; i < TINY; i++) {
            v[i * TINY + i] = 1;
        }
        return v;
    }

    private static float[] uniform(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() - 0.5);
        }
        return v;
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        Arrays.fill(v, 1f);
        return v;
    }

    /** One core's L2 size from sysfs (Linux), or 1 MiB where it cannot be read. */
    private static long secondLevelCache() {
        for (int i = 0; i < 8; i++) {
            Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache/index" + i);
            try {
                if (Files.readString(dir.resolve("level")).trim().equals("2")) {
                    String size = Files.readString(dir.resolve("size")).trim();
                    long k = size.endsWith("K") ? 1024 : size.endsWith("M") ? 1 << 20 : 1;
                    return Long.parseLong(size.replaceAll("[KM]$", "")) * k;
                }
            } catch (IOException | NumberFormatException e) {
                // no such index: keep looking, then fall back
            }
        }
        return FALLBACK_CACHE;
    }

    /**
     * The fastest of a few runs after a warm-up: what the
     * machine can do, less the noise of other work sharing its cores.
     */
    private static double fastest(Runnable r) {
        long warm = System.nanoTime();
        for (int i = 0; i < WARM_UP || System.nanoTime() - warm < WARM_UP_NANOS; i++) {
            r.run();
        }
        double[] t = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(t);
        return t[0];
    }
}
