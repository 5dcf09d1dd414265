package io.cogflow.bench.fullsize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cogflow.model.checkpoint.DType;
import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.checkpoint.ShardedWriter;
import io.cogflow.model.t5.T5Config;
import io.cogflow.model.t5.T5Parameters;
import io.cogflow.model.tokenizer.T5Tokenizer;
import io.cogflow.model.transformer.TransformerConfig;
import io.cogflow.model.transformer.TransformerParameters;
import io.cogflow.model.vae.VaeConfig;
import io.cogflow.model.vae.VaeParameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes a CogVideoX model folder in the layout of the released checkpoints on the hub — {@code model_index.json},
 * {@code transformer/}, {@code vae/}, {@code text_encoder/}, {@code tokenizer/}, {@code scheduler/} — from
 * the configs given and seeded weights: every tensor the configs imply, by its diffusers / transformers name and
 * PyTorch shape, big components in sharded files with an index. This is what lets a full-size model (2B, 5B
 * with T5-XXL) be exported and served on a machine that cannot download one.
 *
 * @param transformerConfig a {@code CogVideoXTransformer3DModel} config.json
 * @param vaeConfig         an {@code AutoencoderKLCogVideoX} config.json (encoder and decoder are written)
 * @param textEncoderConfig a {@code T5EncoderModel} config.json, or null for a folder without {@code text_encoder/}
 *                          and {@code tokenizer/} (a model driven by precomputed text embeddings)
 * @param tokenizer         a SentencePiece model whose ids fit the encoder's vocabulary (null without an encoder)
 * @param dtype             {@code BF16} as the hub ships CogVideoX, or {@code F32}
 * @param maxShardBytes     the largest weight file; components above it are sharded
 */
public record SeededModelFolder(Path transformerConfig, Path vaeConfig, Path textEncoderConfig, Path tokenizer,
                                DType dtype, long maxShardBytes, long seed) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public SeededModelFolder {
        if ((textEncoderConfig == null) != (tokenizer == null)) {
            throw new IllegalArgumentException("a text encoder needs a tokenizer and a tokenizer a text encoder");
        }
        if (dtype != DType.BF16 && dtype != DType.F32) {
            throw new IllegalArgumentException("seeded checkpoints are BF16 or F32, not " + dtype);
        }
    }

    /** What was written: parameters and bytes per component. */
    public record Written(Path dir, long transformerParameters, long vaeParameters, long textEncoderParameters,
                         long bytes, int files) {
    }

    public Written write(Path dir) throws IOException {
        if (Files.exists(dir) && Files.list(dir).findAny().isPresent()) {
            throw new IllegalArgumentException(dir + " already exists and is not empty");
        }
        TransformerConfig tc = TransformerConfig.load(transformerConfig);
        VaeConfig vc = VaeConfig.load(vaeConfig);
        T5Config ec = textEncoderConfig == null ? null : T5Config.load(textEncoderConfig);
        if (ec != null) {
            int vocab = T5Tokenizer.load(tokenizer).vocabSize();
            if (vocab > ec.vocabSize()) {
                throw new IllegalArgumentException(tokenizer + " has " + vocab + " pieces, more than the encoder's "
                        + ec.vocabSize() + " embeddings");
            }
        }
        SeededTensors data = new SeededTensors(seed);
        ShardedWriter.Written t = component(dir.resolve("transformer"), transformerConfig,
                "diffusion_pytorch_model", TransformerParameters.specs(tc), data);
        ShardedWriter.Written v = component(dir.resolve("vae"), vaeConfig, "diffusion_pytorch_model",
                VaeParameters.specs(vc), data);
        long encoderBytes = 0;
        int encoderFiles = 0;
        if (ec != null) {
            ShardedWriter.Written e = component(dir.resolve("text_encoder"), textEncoderConfig, "model",
                    T5Parameters.specs(ec), data);
            Files.createDirectories(dir.resolve("tokenizer"));
            Files.copy(tokenizer, dir.resolve("tokenizer").resolve(T5Tokenizer.MODEL_FILE),
                    StandardCopyOption.REPLACE_EXISTING);
            encoderBytes = e.totalBytes();
            encoderFiles = e.files().size();
        }
        writeScheduler(dir.resolve("scheduler"), tc);
        writeModelIndex(dir, ec != null);
        return new Written(dir, count(TransformerParameters.specs(tc)), count(VaeParameters.specs(vc)),
                ec == null ? 0 : count(T5Parameters.specs(ec)), t.totalBytes() + v.totalBytes() + encoderBytes,
                t.files().size() + v.files().size() + encoderFiles);
    }

    private ShardedWriter.Written component(Path dir, Path config, String baseName, List<ParameterSpec> specs,
                                            ShardedWriter.Data data) throws IOException {
        Files.createDirectories(dir);
        Files.copy(config, dir.resolve("config.json"));
        List<ShardedWriter.Tensor> tensors = specs.stream()
                .map(s -> new ShardedWriter.Tensor(s.name(), dtype, s.torchShape())).toList();
        return ShardedWriter.write(dir, baseName, tensors, maxShardBytes, data);
    }

    private static long count(List<ParameterSpec> specs) {
        return specs.stream().mapToLong(ParameterSpec::elementCount).sum();
    }

    /**
     * The released scheduler config: DDIM, trailing, v-prediction, zero terminal SNR; SNR shift 3 for 2B (sincos
     * positions), 1 for the RoPE models.
     */
    private static void writeScheduler(Path dir, TransformerConfig tc) throws IOException {
        Files.createDirectories(dir);
        ObjectNode s = JSON.createObjectNode();
        s.put("_class_name", "CogVideoXDDIMScheduler");
        s.put("beta_end", 0.012);
        s.put("beta_schedule", "scaled_linear");
        s.put("beta_start", 0.00085);
        s.put("clip_sample", false);
        s.put("clip_sample_range", 1.0);
        s.put("num_train_timesteps", 1000);
        s.put("prediction_type", "v_prediction");
        s.put("rescale_betas_zero_snr", true);
        s.put("sample_max_value", 1.0);
        s.put("set_alpha_to_one", true);
        s.put("snr_shift_scale", tc.useRotaryPositionalEmbeddings() ? 1.0 : 3.0);
        s.put("steps_offset", 0);
        s.put("timestep_spacing", "trailing");
        s.put("trained_betas", (String) null);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("scheduler_config.json").toFile(), s);
    }

    private static void writeModelIndex(Path dir, boolean textEncoder) throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("_class_name", "CogVideoXPipeline");
        m.putArray("scheduler").add("diffusers").add("CogVideoXDDIMScheduler");
        if (textEncoder) {
            m.putArray("text_encoder").add("transformers").add("T5EncoderModel");
            m.putArray("tokenizer").add("transformers").add("T5Tokenizer");
        } else {
            m.putArray("text_encoder").addNull().addNull();
            m.putArray("tokenizer").addNull().addNull();
        }
        m.putArray("transformer").add("diffusers").add("CogVideoXTransformer3DModel");
        m.putArray("vae").add("diffusers").add("AutoencoderKLCogVideoX");
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("model_index.json").toFile(), m);
    }
}
