package io.cogflow.bench.fullsize;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cogflow.model.checkpoint.DType;
import io.cogflow.model.export.ExportOptions;
import io.cogflow.model.export.ExportedModel;
import io.cogflow.model.export.ModelExporter;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.transformer.AttentionBudget;

import java.nio.file.Path;
import java.util.ArrayList;
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
        List<StepResult> results = switch (args[0]) {
            case "write" -> List.of(write(args));
            case "export" -> List.of(export(args));
            case "run" -> run(args);
            default -> throw new IllegalArgumentException("unknown step " + args[0]);
        };
        System.out.println(JSON.writeValueAsString(results));
    }

    /** write DIR TRANSFORMER_CONFIG VAE_CONFIG T5_CONFIG SPIECE DTYPE MAX_SHARD_BYTES SEED */
    private static StepResult write(String[] a) throws Exception {
        ProcessMemory.resetPeak();
        long start = System.nanoTime();
        SeededModelFolder folder = new SeededModelFolder(Path.of(a[2]), Path.of(a[3]), Path.of(a[4]),
                Path.of(a[5]), DType.valueOf(a[6]), Long.parseLong(a[7]), Long.parseLong(a[8]));
        SeededModelFolder.Written w = folder.write(Path.of(a[1]));
        return new StepResult("write", seconds(start), ProcessMemory.peakBytes(), ProcessMemory.residentBytes(),
                String.format("transformer %,d + vae %,d + text encoder %,d parameters; %,d bytes in %d files",
                        w.transformerParameters(), w.vaeParameters(), w.textEncoderParameters(), w.bytes(),
                        w.files()));
    }

    /** export FROM TO DTYPE SIZE */
    private static StepResult export(String[] a) {
        ProcessMemory.resetPeak();
        long start = System.nanoTime();
        ExportOptions options = new ExportOptions(a[3], List.of(VideoSize.parse(a[4])), AttentionBudget.DEFAULT,
                "seeded-full-size");
        ModelExporter.Result r = ModelExporter.export(Path.of(a[1]), Path.of(a[2]), options);
        return new StepResult("export", seconds(start), ProcessMemory.peakBytes(), ProcessMemory.residentBytes(),
                String.format("%,d parameters, --dtype %s, size %s", r.parameters(), a[3], a[4]));
    }

    /** run EXPORTED_DIR THREADS: load, one encode_text, one denoise (batch 1) on its embeddings. */
    private static List<StepResult> run(String[] a) {
        List<StepResult> out = new ArrayList<>();
        SessionOptions session = new SessionOptions(Integer.parseInt(a[2]), 1);
        ProcessMemory.resetPeak();
        long start = System.nanoTime();
        try (ExportedModel model = ExportedModel.load(Path.of(a[1]), session)) {
            out.add(new StepResult("load", seconds(start), ProcessMemory.peakBytes(), ProcessMemory.residentBytes(),
                    "SavedModel restore and manifest check"));

            ProcessMemory.resetPeak();
            start = System.nanoTime();
            long[][] ids = model.tokenizer().encodeBatch(List.of("a red fox runs through fresh snow at dawn"),
                    model.manifest().textLength());
            HostTensor text = model.encodeText(ids);
            out.add(new StepResult("encode_text", seconds(start), ProcessMemory.peakBytes(),
                    ProcessMemory.residentBytes(), "batch 1, embeddings " + text.shapeString() + finite(text)));

            ModelManifest.Size size = model.manifest().sizes().get(0);
            long[] shape = {1, size.paddedFrames(), model.manifest().latentChannels(), size.latentHeight(),
                    size.latentWidth()};
            float[] noise = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (x, y) -> x * y))];
            SplittableRandom r = new SplittableRandom(7);
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) (2 * r.nextDouble() - 1);
            }
            ProcessMemory.resetPeak();
            start = System.nanoTime();
            HostTensor v = model.denoise(new HostTensor(shape, noise), new long[]{999}, text);
            out.add(new StepResult("denoise", seconds(start), ProcessMemory.peakBytes(),
                    ProcessMemory.residentBytes(), "batch 1, " + size.denoise() + ", latents "
                    + Arrays.toString(shape) + finite(v)));
        }
        return out;
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
