package io.cogflow.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cogflow.model.checkpoint.SafetensorsFile;
import io.cogflow.model.export.ComputePrecision;
import io.cogflow.model.export.ExportOptions;
import io.cogflow.model.export.ModelExporter;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.pipeline.GeneratedVideo;
import io.cogflow.model.pipeline.GenerationInput;
import io.cogflow.model.pipeline.ProgressListener;
import io.cogflow.model.pipeline.VideoGenerator;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.sampling.NoiseSource;
import io.cogflow.model.sampling.SamplerKind;
import io.cogflow.model.sampling.SchedulerConfig;
import io.cogflow.model.sampling.TapeNoise;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.transformer.AttentionBudget;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Replays a reference pipeline run through an exported model: the golden file's prompt embeddings, initial
 * latents and (for stochastic samplers) its noise tape; the run's settings from the {@code index.json} next to
 * it. The frames must match with relative L2 ≤ {@link #tolerance} of the model's compute precision: 1e-3 for
 * float32, {@link #REDUCED_FRAMES_TOLERANCE} for a bfloat16/float16 graph. A diffusers folder is exported to a
 * temporary folder first (in the precision asked for), so the check always goes through the SavedModel.
 *
 * <p>A run may hold any number of videos (B): {@code latents} (B, F, C, h, w), {@code prompt_embeds} and
 * {@code negative_prompt_embeds} (B, L, D), {@code frames} (B, F, 3, H, W), and for stochastic samplers
 * {@code noise} (draws, B, F, C, h, w) laid out as torch draws it for a batch: each draw is one
 * {@code randn} of the whole batch, sample 0 then sample 1. The B videos go through the model as one batch, as a
 * server batches them.
 */
public final class PipelineParity {
    /** Frames of a float32 graph: relative L2 (the repository's float32 tolerance for whole runs). */
    public static final double FRAMES_TOLERANCE = 1e-3;
    /**
     * Frames of a bfloat16 or float16 graph: relative L2. Measured on the tiny reference runs (docs/precision.md):
     * bf16 5.6e-3 for pipeline_2b_ddim and 9.9e-3 for pipeline_5b_dpm (the stochastic sampler carries each
     * step's error on), batch 1 and 2 alike; float16 6.7e-4. This leaves 3x room over the worst. An 8-bit
     * mantissa cannot reach the float32 figure.
     */
    public static final double REDUCED_FRAMES_TOLERANCE = 3e-2;
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Report(Comparison frames, String sampler, int steps, double guidance, boolean exported,
                         int batch, ComputePrecision compute, double seconds) {
        public double tolerance() {
            return PipelineParity.tolerance(compute);
        }

        public boolean passed() {
            return frames.finite() && frames.relativeL2() <= tolerance();
        }
    }

    private PipelineParity() {
    }

    /** The relative L2 a whole run's frames must reach in a graph computing in {@code compute}. */
    public static double tolerance(ComputePrecision compute) {
        return compute.reduced() ? REDUCED_FRAMES_TOLERANCE : FRAMES_TOLERANCE;
    }

    /** Replays the run through an exported model, or a diffusers folder exported in float32. */
    public static Report run(Path model, Path golden, SessionOptions options) {
        return run(model, golden, options, ComputePrecision.FLOAT32);
    }

    /**
     * As {@link #run(Path, Path, SessionOptions)}; a diffusers folder is exported computing in {@code compute}
     * (an exported model keeps the precision it was exported in: its manifest says which).
     */
    public static Report run(Path model, Path golden, SessionOptions options, ComputePrecision compute) {
        if (!Files.exists(model)) {
            throw new IllegalArgumentException("model not found: " + model);
        }
        if (!Files.isRegularFile(golden)) {
            throw new IllegalArgumentException("golden file not found: " + golden);
        }
        JsonNode index = readIndex(golden.resolveSibling("index.json"));
        VideoSize size = new VideoSize(index.path("width").asInt(), index.path("height").asInt(),
                index.path("num_frames").asInt());
        SamplerKind sampler = SchedulerConfig.DPM_CLASS.equals(index.path("scheduler").asText()) ? SamplerKind.DPM
                : SamplerKind.DDIM;
        int steps = index.path("num_inference_steps").asInt();
        double guidance = index.path("guidance_scale").asDouble();
        boolean dynamic = index.path("use_dynamic_cfg").asBoolean(false);
        long start = System.nanoTime();
        boolean exported = Files.isRegularFile(model.resolve(ModelManifest.FILE));
        Path temp = null;
        try {
            Path dir = model;
            if (!exported) {
                temp = Files.createTempDirectory("cogflow-parity-");
                dir = ModelExporter.export(model, temp.resolve("model"), ExportOptions.computing(compute,
                        List.of(size), AttentionBudget.DEFAULT, null)).dir();
            }
            try (SafetensorsFile g = SafetensorsFile.open(golden); VideoGenerator generator = VideoGenerator.load(dir,
                    options)) {
                HostTensor latents = GoldenTensors.read(g, "latents");
                HostTensor cond = GoldenTensors.read(g, "prompt_embeds");
                HostTensor uncond = GoldenTensors.read(g, "negative_prompt_embeds");
                HostTensor expected = GoldenTensors.read(g, "frames");
                HostTensor tape = g.tensors().containsKey("noise") ? GoldenTensors.read(g, "noise") : null;
                int batch = (int) latents.dim(0);
                for (HostTensor t : List.of(cond, uncond, expected)) {
                    if (t.dim(0) != batch) {
                        throw new IllegalArgumentException(golden + ": latents hold " + batch + " videos but a "
                                + "tensor of shape " + t.shapeString() + " does not");
                    }
                }
                if (tape != null && (tape.shape().length < 2 || tape.dim(1) != batch)) {
                    throw new IllegalArgumentException(golden + ": noise must be (draws, " + batch + ", ...), got "
                            + tape.shapeString());
                }
                List<VideoGenerator.Prepared> prepared = new ArrayList<>();
                for (int b = 0; b < batch; b++) {
                    GenerationInput request = new GenerationInput("golden-" + b, "(given embeddings)", "", size,
                            steps, guidance, dynamic, 0, sampler);
                    NoiseSource noise = tape != null ? new TapeNoise(sampleTape(tape, b)) : target -> {
                        throw new IllegalStateException("the golden run has no noise tape but the sampler draws");
                    };
                    prepared.add(new VideoGenerator.Prepared(request, row(cond, b), row(uncond, b), row(latents, b),
                            noise));
                }
                List<GeneratedVideo> videos = generator.generatePrepared(prepared, ProgressListener.NONE);
                float[] frames = new float[expected.data().length];
                int per = frames.length / batch;
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(videos.get(b).video().data(), 0, frames, b * per, per);
                }
                HostTensor actual = new HostTensor(expected.shape(), frames);
                return new Report(Comparison.of(actual, expected), sampler.name(), steps, guidance, exported,
                        batch, generator.model().manifest().compute(), (System.nanoTime() - start) / 1e9);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (temp != null) {
                deleteTree(temp);
            }
        }
    }

    /** Video {@code b} of a (B, ...) tensor. */
    private static float[] row(HostTensor t, int b) {
        int per = t.data().length / (int) t.dim(0);
        float[] out = new float[per];
        System.arraycopy(t.data(), b * per, out, 0, per);
        return out;
    }

    /** Sample {@code b}'s draws from a (draws, B, ...) tape: its slice of each batch draw, in draw order. */
    private static float[] sampleTape(HostTensor tape, int b) {
        int draws = (int) tape.dim(0);
        int batch = (int) tape.dim(1);
        int per = tape.data().length / (draws * batch);
        float[] out = new float[draws * per];
        for (int d = 0; d < draws; d++) {
            System.arraycopy(tape.data(), (d * batch + b) * per, out, d * per, per);
        }
        return out;
    }

    private static JsonNode readIndex(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no index.json next to the golden file (" + file + "): it names the "
                    + "run's scheduler, steps, guidance and size");
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover temporary folder is harmless
        }
    }
}
