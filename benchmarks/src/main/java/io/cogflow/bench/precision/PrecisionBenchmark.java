package io.cogflow.bench.precision;

import io.cogflow.bench.model.RandomData;
import io.cogflow.bench.model.Timer;
import io.cogflow.model.export.ComputePrecision;
import io.cogflow.model.export.ExportOptions;
import io.cogflow.model.export.ExportedModel;
import io.cogflow.model.export.ModelExporter;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.pipeline.GeneratedVideo;
import io.cogflow.model.pipeline.GenerationInput;
import io.cogflow.model.pipeline.ProgressListener;
import io.cogflow.model.pipeline.VideoGenerator;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.transformer.AttentionBudget;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * float32 against bfloat16 exports of the same weights, in one process: per model, the denoise signature's time
 * per call at two batch sizes, a whole generation when the model has a text encoder, the graph's size (nodes and
 * the Casts the precision rewrite added) and how far the bf16 outputs are from the float32 ones. Plus a plain
 * MatMul in both types, the ceiling a bf16 graph could reach on this CPU.
 */
public final class PrecisionBenchmark {

    /** A model to compare: an exported float32 model, or a transformer config with seeded weights. */
    public record Case(String name, Path exported, String transformerJson, VideoSize size) {
        public static Case exported(String name, Path dir) {
            return new Case(name, dir, null, null);
        }

        public static Case seeded(String name, String transformerJson, VideoSize size) {
            return new Case(name, null, transformerJson, size);
        }
    }

    /** One export's numbers. */
    public record Side(ComputePrecision compute, long denoiseNodes, long denoiseCasts, double denoiseMsBatch1,
                       double denoiseMsBatchN, Double generationMs) {
    }

    /**
     * One model: both exports, the speed-ups (float32 time / bf16 time) and the bf16 outputs' distance from the
     * float32 ones (relative L2; max |diff| over max |f32|) for one denoise call and, if run, the generated frames.
     */
    public record Row(String name, VideoSize size, int batchN, int steps, Side float32, Side bfloat16,
                      double denoiseSpeedup1, double denoiseSpeedupN, Double generationSpeedup,
                      double denoiseRelL2, double denoiseMaxRel, Double framesRelL2, Double framesMaxAbs,
                      List<KernelProfile.Kernel> float32Kernels, List<KernelProfile.Kernel> bfloat16Kernels) {
    }

    /** GFLOP/s of an n³ MatMul in each type, measured by the same timer. */
    public record MatMulRate(int n, double float32Gflops, double bfloat16Gflops) {
    }

    private final SessionOptions session;
    private final Timer timer;
    private final int generationRuns;
    private final int profileRuns;

    /** @param profileRuns traced denoise calls at the larger batch per export (0: no kernel profile) */
    public PrecisionBenchmark(SessionOptions session, int minRuns, double minSeconds, int generationRuns,
                              int profileRuns) {
        this.session = session;
        this.timer = new Timer(minRuns, minSeconds);
        this.generationRuns = generationRuns;
        this.profileRuns = profileRuns;
    }

    public MatMulRate matmul(int n) {
        return new MatMulRate(n, MatMulProbe.gflops(session, timer, n, ComputePrecision.FLOAT32),
                MatMulProbe.gflops(session, timer, n, ComputePrecision.BFLOAT16));
    }

    /** Exports the case twice under {@code work} (deleted after), then times and compares the two. */
    public Row run(Case c, int batchN, int steps, double guidance, Path work) {
        try {
            Path dir = Files.createTempDirectory(work, "precision-" + c.name() + "-");
            try {
                Path src = c.exported() != null ? ModelFolders.fromExported(c.exported(), dir.resolve("src"))
                        : ModelFolders.seeded(c.transformerJson(), dir.resolve("src"));
                VideoSize size = c.size() != null ? c.size()
                        : ModelManifest.readVerified(c.exported()).sizes().get(0).video();
                Path f32 = export(src, dir.resolve("float32"), ComputePrecision.FLOAT32, size);
                Path bf16 = export(src, dir.resolve("bfloat16"), ComputePrecision.BFLOAT16, size);
                return compare(c.name(), f32, bf16, size, batchN, steps, guidance);
            } finally {
                deleteTree(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Row compare(String name, Path f32Dir, Path bf16Dir, VideoSize size, int batchN, int steps,
                        double guidance) {
        try (VideoGenerator f32 = VideoGenerator.load(f32Dir, session);
             VideoGenerator bf16 = VideoGenerator.load(bf16Dir, session)) {
            ModelManifest m = f32.model().manifest();
            ModelManifest.Size s = m.size(size);
            long[] latent1 = {1, s.paddedFrames(), m.latentChannels(), s.latentHeight(), s.latentWidth()};
            long[] text1 = {1, m.textLength(), m.textEmbedDim()};
            HostTensor l1 = random(latent1, 1, 2);
            HostTensor t1 = random(text1, 1, 3);
            HostTensor lN = random(latent1, batchN, 2);
            HostTensor tN = random(text1, batchN, 3);
            HostTensor outF = f32.model().denoise(l1, new long[]{500}, t1);
            HostTensor outB = bf16.model().denoise(l1, new long[]{500}, t1);
            double[] denoiseDiff = distance(outB.data(), outF.data());
            double f1 = time(f32.model(), l1, t1);
            double b1 = time(bf16.model(), l1, t1);
            double fN = time(f32.model(), lN, tN);
            double bN = time(bf16.model(), lN, tN);
            Double fg = null;
            Double bg = null;
            Double framesRel = null;
            Double framesMax = null;
            if (m.hasTextEncoder()) {
                GenerationInput request = new GenerationInput("precision", "a red circle moving left on a black "
                        + "background", "", size, steps, guidance, false, 7, null);
                GeneratedVideo vf = generate(f32, request);
                GeneratedVideo vb = generate(bf16, request);
                double[] d = distance(vb.video().data(), vf.video().data());
                framesRel = d[0];
                framesMax = d[1] * d[2];
                fg = generationMs(f32, request);
                bg = generationMs(bf16, request);
            }
            List<KernelProfile.Kernel> kf = null;
            List<KernelProfile.Kernel> kb = null;
            if (profileRuns > 0) {
                kf = KernelProfile.denoise(f32Dir, s.denoise(), lN, tN, session, profileRuns);
                kb = KernelProfile.denoise(bf16Dir, s.denoise(), lN, tN, session, profileRuns);
            }
            GraphCount cf = GraphCount.of(f32Dir, s.denoise());
            GraphCount cb = GraphCount.of(bf16Dir, s.denoise());
            Side sf = new Side(ComputePrecision.FLOAT32, cf.nodes(), cf.casts(), f1, fN, fg);
            Side sb = new Side(ComputePrecision.BFLOAT16, cb.nodes(), cb.casts(), b1, bN, bg);
            return new Row(name, size, batchN, steps, sf, sb, f1 / b1, fN / bN, fg == null ? null : fg / bg,
                    denoiseDiff[0], denoiseDiff[1], framesRel, framesMax, kf, kb);
        }
    }

    private double time(ExportedModel model, HostTensor latents, HostTensor text) {
        long[] t = new long[(int) latents.dim(0)];
        Arrays.fill(t, 500);
        return timer.measure(() -> model.denoise(latents, t, text)).medianMs();
    }

    private static GeneratedVideo generate(VideoGenerator g, GenerationInput request) {
        return g.generate(List.of(request), ProgressListener.NONE).get(0);
    }

    /** Median total of {@code generationRuns} generations after one warm-up. */
    private double generationMs(VideoGenerator g, GenerationInput request) {
        generate(g, request);
        double[] ms = new double[generationRuns];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            generate(g, request);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }

    private static Path export(Path src, Path to, ComputePrecision compute, VideoSize size) {
        return ModelExporter.export(src, to, ExportOptions.computing(compute, List.of(size), AttentionBudget.DEFAULT,
                "precision-bench")).dir();
    }

    private static HostTensor random(long[] perSample, int batch, long seed) {
        long[] shape = perSample.clone();
        shape[0] = batch;
        return new HostTensor(shape, RandomData.floats(RandomData.count(shape), seed));
    }

    /** {relative L2, max |a − b| / max |ref|, max |ref|}. */
    static double[] distance(float[] a, float[] ref) {
        double err = 0;
        double norm = 0;
        double maxErr = 0;
        double maxRef = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - ref[i];
            err += d * d;
            norm += (double) ref[i] * ref[i];
            maxErr = Math.max(maxErr, Math.abs(d));
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
        }
        return new double[]{Math.sqrt(err / norm), maxErr / maxRef, maxRef};
    }

    /** Nodes of one signature's scope in a written SavedModel, and how many of them are Casts. */
    private record GraphCount(long nodes, long casts) {
        static GraphCount of(Path model, String scope) {
            try {
                GraphDef g = SavedModel.parseFrom(Files.readAllBytes(model.resolve("saved_model.pb")))
                        .getMetaGraphs(0).getGraphDef();
                List<NodeDef> in = g.getNodeList().stream().filter(n -> n.getName().startsWith(scope + "/")).toList();
                return new GraphCount(in.size(), in.stream().filter(n -> n.getOp().equals("Cast")).count());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList())) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover temporary folder is harmless
        }
    }
}
