package io.cogflow.bench.xla;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cogflow.bench.model.RandomData;
import io.cogflow.bench.model.TransformerBenchmark;
import io.cogflow.model.export.ExportedModel;
import io.cogflow.model.export.ModelLoadOptions;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.export.ModelTrust;
import io.cogflow.model.export.SignatureKind;
import io.cogflow.model.export.XlaSignatures;
import io.cogflow.model.pipeline.GeneratedVideo;
import io.cogflow.model.pipeline.GenerationInput;
import io.cogflow.model.pipeline.ProgressListener;
import io.cogflow.model.pipeline.VideoGenerator;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.RandomWeights;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.transformer.AttentionBudget;
import io.cogflow.model.transformer.DenoiserOptions;
import io.cogflow.model.transformer.TransformerDenoiser;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;

/**
 * The same work with and without XLA, in one process, so the ratios compare like with like: each signature kind
 * of an exported model (all kinds compiled against none), whole generations with the serving default
 * ({@link XlaSignatures#DEFAULT}) against none, and transformer configs alone (the session's global JIT on and
 * off). Every row carries the largest output difference between the two.
 */
public final class XlaBenchmark {

    /**
     * One measured point.
     *
     * @param part    signature, generation or transformer
     * @param batch   rows of a signature call, or requests of a generation
     * @param maxDiff the largest absolute output difference, XLA against not (video values in [0, 1] for
     *                generations and decode)
     */
    public record Row(String part, String name, int batch, double offMs, double xlaMs, double maxDiff, int runs) {
        @JsonProperty
        public double speedup() {
            return offMs / xlaMs;
        }
    }

    private final SessionOptions session;
    private final int minRuns;
    private final double minSeconds;

    public XlaBenchmark(SessionOptions session, int minRuns, double minSeconds) {
        this.session = session;
        this.minRuns = minRuns;
        this.minSeconds = minSeconds;
    }

    /** Median milliseconds of each side and the number of pairs. */
    record Paired(double offMs, double xlaMs, int runs) {
    }

    /**
     * Times the two sides alternately (off, xla, off, …) after two calls of each, so a machine whose load changes
     * during the run slows both alike: at least {@code minRuns} pairs and {@code minSeconds}.
     */
    Paired paired(Runnable off, Runnable xla) {
        for (int i = 0; i < 2; i++) {
            off.run();
            xla.run();
        }
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        long start = System.nanoTime();
        while (a.size() < minRuns || (System.nanoTime() - start) / 1e9 < minSeconds) {
            long t0 = System.nanoTime();
            off.run();
            long t1 = System.nanoTime();
            xla.run();
            long t2 = System.nanoTime();
            a.add((t1 - t0) / 1e6);
            b.add((t2 - t1) / 1e6);
        }
        return new Paired(median(a), median(b), a.size());
    }

    private static double median(List<Double> ms) {
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    /** Each signature kind per call, at the given rows: the model loaded without XLA and with every kind on it. */
    public List<Row> signatures(Path model, int[] textRows, int[] denoiseRows, int[] decodeRows) {
        ModelLoadOptions none = ModelLoadOptions.defaults().withXla(XlaSignatures.NONE);
        ModelLoadOptions all = none.withXla(new XlaSignatures(EnumSet.allOf(SignatureKind.class)));
        List<Row> rows = new ArrayList<>();
        try (ExportedModel off = ExportedModel.load(model, session, ModelTrust.ANY, none);
             ExportedModel on = ExportedModel.load(model, session, ModelTrust.ANY, all)) {
            ModelManifest m = off.manifest();
            if (m.hasTextEncoder()) {
                for (int b : textRows) {
                    long[][] ids = new long[b][m.textLength()];
                    for (int i = 0; i < b; i++) {
                        for (int j = 0; j < m.textLength() / 2; j++) {
                            ids[i][j] = 3 + (i * 31L + j * 7L) % 90;
                        }
                    }
                    rows.add(compare("signature", ModelManifest.ENCODE_TEXT, b, off, on, x -> x.encodeText(ids)));
                }
            }
            for (ModelManifest.Size size : m.sizes()) {
                for (int b : denoiseRows) {
                    HostTensor latents = random(new long[]{b, size.paddedFrames(), m.latentChannels(),
                            size.latentHeight(), size.latentWidth()}, 1);
                    HostTensor text = random(new long[]{b, m.textLength(), m.textEmbedDim()}, 2);
                    long[] t = new long[b];
                    Arrays.fill(t, 500);
                    rows.add(compare("signature", size.denoise(), b, off, on, x -> x.denoise(latents, t, text)));
                }
                for (int b : decodeRows) {
                    HostTensor z = random(new long[]{b, m.latentChannels(), size.latentFrames(), size.latentHeight(),
                            size.latentWidth()}, 3);
                    rows.add(compare("signature", size.decode(), b, off, on, x -> x.decode(z, size).video()));
                }
            }
        }
        return rows;
    }

    /**
     * Whole generations (tokenize, encode both prompts, {@code steps} guided steps, decode) of {@code batch}
     * requests at the model's first size: no XLA against the serving default.
     */
    public List<Row> generations(Path model, int[] batches, int steps, double guidance) {
        ModelLoadOptions none = ModelLoadOptions.defaults().withXla(XlaSignatures.NONE);
        XlaSignatures withDecode = new XlaSignatures(EnumSet.of(SignatureKind.DENOISE, SignatureKind.DECODE));
        List<Row> rows = new ArrayList<>();
        try (VideoGenerator off = VideoGenerator.load(model, session, none)) {
            for (XlaSignatures xla : List.of(XlaSignatures.DEFAULT, withDecode)) {
                try (VideoGenerator on = VideoGenerator.load(model, session, none.withXla(xla))) {
                    var size = off.manifest().sizes().get(0).video();
                    for (int b : batches) {
                        List<GenerationInput> requests = new ArrayList<>();
                        for (int i = 0; i < b; i++) {
                            requests.add(new GenerationInput("xla-" + i, "a red ball bouncing " + i, "blurry", size,
                                    steps, guidance, false, 1000 + i, null));
                        }
                        Function<VideoGenerator, HostTensor> generate = g -> videos(g.generate(requests,
                                ProgressListener.NONE));
                        String name = "generation " + size + " (" + steps + " steps), xla " + xla.names();
                        rows.add(compareGenerators(name, b, off, on, generate));
                    }
                }
            }
        }
        return rows;
    }

    /** A transformer config alone (seeded weights), per denoise call: its session's global JIT off and on. */
    public List<Row> transformer(TransformerBenchmark.Case c, int[] batches) {
        List<Row> rows = new ArrayList<>();
        DenoiserOptions offOptions = new DenoiserOptions(session.withXlaJit(false), AttentionBudget.DEFAULT);
        DenoiserOptions onOptions = new DenoiserOptions(session.withXlaJit(true), AttentionBudget.DEFAULT);
        try (TransformerDenoiser off = TransformerDenoiser.withWeights(c.config(), offOptions, RandomWeights.gaussian(42));
             TransformerDenoiser on = TransformerDenoiser.withWeights(c.config(), onOptions, RandomWeights.gaussian(42))) {
            for (int b : batches) {
                HostTensor latents = random(new long[]{b, c.frames(), c.config().inChannels(), c.height(), c.width()}, 4);
                HostTensor text = random(new long[]{b, c.textLen(), c.config().textEmbedDim()}, 5);
                long[] t = new long[b];
                Arrays.fill(t, 500);
                for (int i = 0; i < 2; i++) {
                    on.denoise(latents, t, text);
                }
                double diff = maxDiff(off.denoise(latents, t, text), on.denoise(latents, t, text));
                Paired p = paired(() -> off.denoise(latents, t, text), () -> on.denoise(latents, t, text));
                rows.add(new Row("transformer", c.name() + " denoise", b, p.offMs(), p.xlaMs(), diff, p.runs()));
            }
        }
        return rows;
    }

    private Row compare(String part, String name, int batch, ExportedModel off, ExportedModel on,
                        Function<ExportedModel, HostTensor> call) {
        // TensorFlow compiles a new shape on its second run (lazy compilation): the difference is taken after that
        for (int i = 0; i < 2; i++) {
            call.apply(off);
            call.apply(on);
        }
        double diff = maxDiff(call.apply(off), call.apply(on));
        Paired p = paired(() -> call.apply(off), () -> call.apply(on));
        return new Row(part, name, batch, p.offMs(), p.xlaMs(), diff, p.runs());
    }

    private Row compareGenerators(String name, int batch, VideoGenerator off, VideoGenerator on,
                                  Function<VideoGenerator, HostTensor> call) {
        off.warmUp(batch);
        on.warmUp(batch);
        double diff = maxDiff(call.apply(off), call.apply(on));
        Paired p = paired(() -> call.apply(off), () -> call.apply(on));
        return new Row("generation", name, batch, p.offMs(), p.xlaMs(), diff, p.runs());
    }

    /** The batch's videos, one after another. */
    private static HostTensor videos(List<GeneratedVideo> out) {
        int per = out.get(0).video().data().length;
        float[] all = new float[per * out.size()];
        for (int i = 0; i < out.size(); i++) {
            System.arraycopy(out.get(i).video().data(), 0, all, i * per, per);
        }
        return new HostTensor(new long[]{all.length}, all);
    }

    private static HostTensor random(long[] shape, long seed) {
        return new HostTensor(shape, RandomData.floats(RandomData.count(shape), seed));
    }

    static double maxDiff(HostTensor a, HostTensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalStateException("outputs differ in shape: " + a.shapeString() + " and " + b.shapeString());
        }
        double m = 0;
        for (int i = 0; i < a.data().length; i++) {
            m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        }
        return m;
    }
}
