package io.cogflow.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cogflow.model.checkpoint.SafetensorsFile;
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
 * it. The frames must match with relative L2 ≤ 1e-3. A diffusers folder is exported to a temporary folder first,
 * so the check always goes through the SavedModel.
 */
public final class PipelineParity {
    public static final double FRAMES_TOLERANCE = 1e-3;
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Report(Comparison frames, String sampler, int steps, double guidance, boolean exported,
                         double seconds) {
        public boolean passed() {
            return frames.finite() && frames.relativeL2() <= FRAMES_TOLERANCE;
        }
    }

    private PipelineParity() {
    }

    public static Report run(Path model, Path golden, SessionOptions options) {
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
                dir = ModelExporter.export(model, temp.resolve("model"), new ExportOptions("float32", List.of(size),
                        AttentionBudget.DEFAULT)).dir();
            }
            try (SafetensorsFile g = SafetensorsFile.open(golden); VideoGenerator generator = VideoGenerator.load(dir,
                    options)) {
                HostTensor latents = GoldenTensors.read(g, "latents");
                HostTensor cond = GoldenTensors.read(g, "prompt_embeds");
                HostTensor uncond = GoldenTensors.read(g, "negative_prompt_embeds");
                HostTensor expected = GoldenTensors.read(g, "frames");
                NoiseSource noise = g.tensors().containsKey("noise")
                        ? new TapeNoise(GoldenTensors.read(g, "noise").data()) : target -> {
                            throw new IllegalStateException("the golden run has no noise tape but the sampler draws");
                        };
                int batch = (int) latents.dim(0);
                if (batch != 1) {
                    throw new IllegalArgumentException("pipeline goldens hold one video; got batch " + batch);
                }
                GenerationInput request = new GenerationInput("golden", "(given embeddings)", "", size, steps,
                        guidance, dynamic, 0, sampler);
                List<VideoGenerator.Prepared> prepared = List.of(new VideoGenerator.Prepared(request, cond.data(),
                        uncond.data(), latents.data(), noise));
                GeneratedVideo video = generator.generatePrepared(prepared, ProgressListener.NONE).get(0);
                HostTensor actual = new HostTensor(expected.shape(), video.video().data());
                return new Report(Comparison.of(actual, expected), sampler.name(), steps, guidance, exported,
                        (System.nanoTime() - start) / 1e9);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (temp != null) {
                deleteTree(temp);
            }
        }
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
