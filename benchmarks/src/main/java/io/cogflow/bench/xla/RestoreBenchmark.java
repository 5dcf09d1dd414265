package io.cogflow.bench.xla;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.checkpoint.SafetensorsWriter;
import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.export.ExportOptions;
import io.cogflow.model.export.ExportedModel;
import io.cogflow.model.export.ModelExporter;
import io.cogflow.model.export.ModelLoadOptions;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.export.ModelTrust;
import io.cogflow.model.export.XlaSignatures;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.transformer.AttentionBudget;
import io.cogflow.model.transformer.TransformerConfig;
import io.cogflow.model.transformer.TransformerParameters;
import org.tensorflow.TensorFlow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Peak host memory of loading an exported model for serving, with its variables restored in one step (the
 * exported saver's single {@code RestoreV2}) against bounded groups ({@code ModelLoadOptions.restoreGroupBytes}).
 * Each load runs in a fresh JVM, so each peak ({@code VmHWM}) is that load's alone; a first child loads TensorFlow
 * and reads the manifest without the model, the baseline the others are compared with. The children write their
 * measurement as JSON to a file the parent reads.
 */
public final class RestoreBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One child's load. {@code groupBytes} 0 is the baseline (no model); {@link Long#MAX_VALUE} one step.
     *
     * @param peakRssKb the child's VmHWM after the load; @param rssKb its VmRSS then
     */
    public record Row(long groupBytes, int groups, long checkpointBytes, long peakRssKb, long rssKb, long loadMs) {
    }

    /**
     * A diffusers folder of the tiny golden VAE, T5 and tokenizer (from {@code golden}, the repository's
     * {@code testdata/golden}) with a CogVideoX transformer of {@code layers} layers of {@code heads} × 64 (bf16
     * weights drawn from a seeded normal, 0.02), exported in float32 to {@code to}.
     */
    public static Path exportSeeded(Path golden, Path work, Path to, int heads, int layers) {
        Path src = work.resolve("src");
        try {
            copy(golden.resolve("vae_tiny"), src.resolve("vae"), "config.json", "diffusion_pytorch_model.safetensors");
            copy(golden.resolve("t5_tiny"), src.resolve("text_encoder"), "config.json", "model.safetensors");
            copy(golden.resolve("spm_tiny"), src.resolve("tokenizer"), "spiece.model");
            Files.createDirectories(src.resolve("scheduler"));
            Files.writeString(src.resolve("scheduler").resolve("scheduler_config.json"), """
                    {"_class_name": "CogVideoXDDIMScheduler", "beta_end": 0.012, "beta_schedule": "scaled_linear",
                     "beta_start": 0.00085, "clip_sample": false, "num_train_timesteps": 1000,
                     "prediction_type": "v_prediction", "rescale_betas_zero_snr": true, "set_alpha_to_one": true,
                     "steps_offset": 0, "timestep_spacing": "trailing", "snr_shift_scale": 3.0}
                    """);
            Files.createDirectories(src.resolve("transformer"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String config = """
                {"_class_name": "CogVideoXTransformer3DModel", "num_attention_heads": %d, "attention_head_dim": 64,
                 "in_channels": 4, "out_channels": 4, "time_embed_dim": 512, "text_embed_dim": 32,
                 "num_layers": %d, "max_text_seq_length": 12, "sample_frames": 9, "sample_height": 8,
                 "sample_width": 8, "use_rotary_positional_embeddings": false}
                """.formatted(heads, layers);
        try {
            Path transformer = src.resolve("transformer");
            Files.writeString(transformer.resolve("config.json"), config);
            TransformerConfig c = TransformerConfig.from(ConfigJson.parse(config));
            SafetensorsWriter w = new SafetensorsWriter();
            SplittableRandom random = new SplittableRandom(42);
            for (ParameterSpec spec : TransformerParameters.specs(c)) {
                long n = 1;
                for (long d : spec.torchShape()) {
                    n *= d;
                }
                byte[] bf16 = new byte[Math.toIntExact(2 * n)];
                for (int i = 0; i < n; i++) {
                    int bits = Float.floatToRawIntBits((float) (random.nextGaussian() * 0.02)) >>> 16;
                    bf16[2 * i] = (byte) bits;
                    bf16[2 * i + 1] = (byte) (bits >>> 8);
                }
                w.add(spec.name(), "BF16", spec.torchShape(), bf16);
            }
            w.write(transformer.resolve("diffusion_pytorch_model.safetensors"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ModelExporter.export(src, to, new ExportOptions("float32", List.of(VideoSize.parse("64x64x9")),
                AttentionBudget.DEFAULT)).dir();
    }

    private static void copy(Path from, Path to, String... files) throws IOException {
        Files.createDirectories(to);
        for (String f : files) {
            Files.copy(from.resolve(f), to.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Loads {@code model} once per entry of {@code groupBytes}, each in its own JVM, after a baseline child. */
    public List<Row> run(Path model, List<Long> groupBytes, Path work) {
        List<Row> rows = new ArrayList<>();
        List<Long> all = new ArrayList<>();
        all.add(0L);
        all.addAll(groupBytes);
        for (long bytes : all) {
            rows.add(child(model, bytes, work));
        }
        return rows;
    }

    private static Row child(Path model, long groupBytes, Path work) {
        try {
            Files.createDirectories(work);
            Path out = Files.createTempFile(work, "restore-", ".json");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                    RestoreBenchmark.class.getName(), model.toString(), Long.toString(groupBytes), out.toString())
                    .redirectErrorStream(true).redirectOutput(work.resolve("restore-child.log").toFile()).start();
            int code = p.waitFor();
            if (code != 0) {
                throw new IllegalStateException("the restore child failed (exit " + code + "), see "
                        + work.resolve("restore-child.log"));
            }
            return JSON.readValue(out.toFile(), Row.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The child: {@code MODEL GROUP_BYTES OUT.json}. */
    public static void main(String[] args) throws IOException {
        Path model = Path.of(args[0]);
        long groupBytes = Long.parseLong(args[1]);
        Path out = Path.of(args[2]);
        TensorFlow.version();
        ModelManifest.read(model);
        long start = System.nanoTime();
        Row row;
        if (groupBytes == 0) {
            row = new Row(0, 0, 0, status("VmHWM"), status("VmRSS"), 0);
        } else {
            ModelLoadOptions options = ModelLoadOptions.defaults().withXla(XlaSignatures.NONE)
                    .withRestoreGroupBytes(groupBytes);
            try (ExportedModel m = ExportedModel.load(model, SessionOptions.defaults(), ModelTrust.ANY, options)) {
                long ms = (System.nanoTime() - start) / 1_000_000;
                List<Long> groups = m.restoreGroups();
                row = new Row(groupBytes, groups.size(), groups.stream().mapToLong(Long::longValue).sum(),
                        status("VmHWM"), status("VmRSS"), ms);
            }
        }
        JSON.writeValue(out.toFile(), row);
    }

    /** A kB value of /proc/self/status. */
    private static long status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("/proc/self/status has no " + key);
    }
}
