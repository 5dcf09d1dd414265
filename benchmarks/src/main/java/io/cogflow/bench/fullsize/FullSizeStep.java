package io.cogflow.bench.fullsize;

import io.cogflow.bench.ProcessMemory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cogflow.model.checkpoint.DType;
import io.cogflow.model.export.ComputePrecision;
import io.cogflow.model.export.ExportOptions;
import io.cogflow.model.export.ExportedModel;
import io.cogflow.model.export.ModelExporter;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.transformer.AttentionBudget;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The child process of {@link FullSizeBenchmark}: runs one step in a fresh JVM, so that each step's peak resident
 * size is its own and not the leftovers of the one before, and prints its {@link StepResult}s as one JSON array
 * on stdout. Not a user command: the arguments are the benchmark's.
 */
public final class FullSizeStep {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FullSizeStep() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "write" -> report(write(args));
            case "export" -> report(export(args));
            case "run" -> run(args);
            default -> throw new IllegalArgumentException("unknown step " + args[0]);
        }
    }

    /** A path argument, or "-" for none. */
    private static Path optional(String arg) {
        return arg.equals("-") ? null : Path.of(arg);
    }

    private static void report(StepResult r) {
        try {
            System.out.println(JSON.writeValueAsString(r));
            System.out.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** write DIR TRANSFORMER_CONFIG VAE_CONFIG T5_CONFIG|- SPIECE|- DTYPE MAX_SHARD_BYTES SEED */
    private static StepResult write(String[] a) throws Exception {
        ProcessMemory.self().resetPeak();
        long start = System.nanoTime();
        SeededModelFolder folder = new SeededModelFolder(Path.of(a[2]), Path.of(a[3]), optional(a[4]),
                optional(a[5]), DType.valueOf(a[6]), Long.parseLong(a[7]), Long.parseLong(a[8]));
        SeededModelFolder.Written w = folder.write(Path.of(a[1]));
        return new StepResult("write", seconds(start), ProcessMemory.self().peakRssBytes(), ProcessMemory.self().rssBytes(),
                String.format("transformer %,d + vae %,d + text encoder %,d parameters; %,d bytes in %d files",
                        w.transformerParameters(), w.vaeParameters(), w.textEncoderParameters(), w.bytes(),
                        w.files()));
    }

    /** export FROM TO DTYPE SIZE COMPUTE */
    private static StepResult export(String[] a) {
        ProcessMemory.self().resetPeak();
        long start = System.nanoTime();
        ExportOptions options = new ExportOptions(a[3], List.of(VideoSize.parse(a[4])), AttentionBudget.DEFAULT,
                "seeded-full-size", ComputePrecision.parse(a[5]));
        ModelExporter.Result r = ModelExporter.export(Path.of(a[1]), Path.of(a[2]), options);
        return new StepResult("export", seconds(start), ProcessMemory.self().peakRssBytes(), ProcessMemory.self().rssBytes(),
                String.format("%,d parameters, --dtype %s --compute %s, size %s", r.parameters(), a[3], a[5],
                        a[4]));
    }

    /**
     * run EXPORTED_DIR THREADS: load, one denoise (batch 1, seeded latents and text embeddings), then one
     * encode_text (when the model has a text encoder) — denoise first, so that its numbers exist even if the far
     * larger T5 step does not fit.
     */
    private static void run(String[] a) {
        SessionOptions session = new SessionOptions(Integer.parseInt(a[2]), 1);
        ProcessMemory.self().resetPeak();
        long start = System.nanoTime();
        try (ExportedModel model = ExportedModel.load(Path.of(a[1]), session)) {
            report(new StepResult("load", seconds(start), ProcessMemory.self().peakRssBytes(), ProcessMemory.self().rssBytes(),
                    "SavedModel restore and manifest check"));

            ModelManifest m = model.manifest();
            ModelManifest.Size size = m.sizes().get(0);
            SplittableRandom r = new SplittableRandom(7);
            HostTensor latents = seeded(r, 1, size.paddedFrames(), m.latentChannels(), size.latentHeight(),
                    size.latentWidth());
            HostTensor text = seeded(r, 1, m.textLength(), m.textEmbedDim());
            ProcessMemory.self().resetPeak();
            start = System.nanoTime();
            HostTensor v = model.denoise(latents, new long[]{999}, text);
            report(new StepResult("denoise", seconds(start), ProcessMemory.self().peakRssBytes(),
                    ProcessMemory.self().rssBytes(), "batch 1, " + size.denoise() + ", latents "
                    + latents.shapeString() + finite(v)));

            if (!m.hasTextEncoder()) {
                return;
            }
            ProcessMemory.self().resetPeak();
            start = System.nanoTime();
            long[][] ids = model.tokenizer().encodeBatch(List.of("a red fox runs through fresh snow at dawn"),
                    m.textLength());
            HostTensor embeddings = model.encodeText(ids);
            report(new StepResult("encode_text", seconds(start), ProcessMemory.self().peakRssBytes(),
                    ProcessMemory.self().rssBytes(), "batch 1, embeddings " + embeddings.shapeString()
                    + finite(embeddings)));
        }
    }

    private static HostTensor seeded(SplittableRandom r, long... shape) {
        float[] data = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (x, y) -> x * y))];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (2 * r.nextDouble() - 1);
        }
        return new HostTensor(shape, data);
    }

    private static String finite(HostTensor t) {
        for (float x : t.data()) {
            if (!Float.isFinite(x)) {
                return " (NOT finite)";
            }
        }
        return " (all finite)";
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
