package io.cogflow.bench.precision;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.checkpoint.SafetensorsWriter;
import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.export.SavedModelWriter;
import io.cogflow.model.t5.T5Config;
import io.cogflow.model.t5.T5Parameters;
import io.cogflow.model.tf.RandomWeights;
import io.cogflow.model.tf.TfTensors;
import io.cogflow.model.transformer.TransformerConfig;
import io.cogflow.model.transformer.TransformerParameters;
import io.cogflow.model.vae.VaeConfig;
import io.cogflow.model.vae.VaeParameters;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Diffusers-layout model folders for the precision benchmark, so that one source can be exported twice, in
 * float32 and in bfloat16: the weights of an already exported model (the bundled demo model ships only as a
 * SavedModel), or seeded random weights for a transformer config with a small VAE and no text encoder.
 */
final class ModelFolders {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A small decoder for seeded folders: 4 blocks (8× spatial, 4× temporal), as the golden tiny VAE. */
    private static final String SMALL_VAE = """
            {"_class_name": "AutoencoderKLCogVideoX", "act_fn": "silu", "block_out_channels": [8, 8, 16, 16],
             "down_block_types": ["CogVideoXDownBlock3D", "CogVideoXDownBlock3D", "CogVideoXDownBlock3D",
                                  "CogVideoXDownBlock3D"],
             "up_block_types": ["CogVideoXUpBlock3D", "CogVideoXUpBlock3D", "CogVideoXUpBlock3D",
                                "CogVideoXUpBlock3D"],
             "in_channels": 3, "out_channels": 3, "latent_channels": %d, "layers_per_block": 1, "norm_eps": 1e-06,
             "norm_num_groups": 4, "scaling_factor": 1.15258426, "temporal_compression_ratio": 4,
             "use_post_quant_conv": false, "use_quant_conv": false}""";

    private static final String DDIM = """
            {"_class_name": "CogVideoXDDIMScheduler", "beta_end": 0.012, "beta_schedule": "scaled_linear",
             "beta_start": 0.00085, "clip_sample": false, "num_train_timesteps": 1000,
             "prediction_type": "v_prediction", "rescale_betas_zero_snr": true, "set_alpha_to_one": true,
             "steps_offset": 0, "timestep_spacing": "trailing", "snr_shift_scale": 3.0}""";

    private ModelFolders() {
    }

    /** A folder of {@code transformerJson} with seeded weights, a small seeded VAE and the DDIM scheduler. */
    static Path seeded(String transformerJson, Path dir) {
        TransformerConfig tc = TransformerConfig.from(ConfigJson.parse(transformerJson));
        String vaeJson = SMALL_VAE.formatted(tc.inChannels());
        VaeConfig vc = VaeConfig.from(ConfigJson.parse(vaeJson));
        Function<ParameterSpec, float[]> weights = RandomWeights.gaussian(42);
        write(dir.resolve("transformer"), transformerJson, "diffusion_pytorch_model.safetensors",
                TransformerParameters.specs(tc), spec -> spec.layout().toTorch(weights.apply(spec), spec.torchShape()));
        write(dir.resolve("vae"), vaeJson, "diffusion_pytorch_model.safetensors", VaeParameters.decoderSpecs(vc),
                spec -> spec.layout().toTorch(weights.apply(spec), spec.torchShape()));
        writeString(dir.resolve("scheduler").resolve("scheduler_config.json"), DDIM);
        return dir;
    }

    /**
     * A folder holding the weights, configs, scheduler and tokenizer of an exported float32 model, read back from
     * its SavedModel: exporting it again gives the same model (float32) or the same weights in bfloat16.
     */
    static Path fromExported(Path exported, Path dir) {
        ModelManifest m = ModelManifest.readVerified(exported);
        if (!m.dtype().equals("float32")) {
            throw new IllegalArgumentException(exported + " stores " + m.dtype() + " weights; the precision "
                    + "benchmark compares against float32 and needs a float32 export");
        }
        TransformerConfig tc = TransformerConfig.from(ConfigJson.parse(m.transformerConfig().toString()));
        VaeConfig vc = VaeConfig.from(ConfigJson.parse(m.vaeConfig().toString()));
        try (SavedModelBundle b = SavedModelBundle.loader(exported.toString()).withTags(SavedModelWriter.TAG)
                .load()) {
            Function<String, Function<ParameterSpec, float[]>> read = ns -> spec -> {
                try (Result r = b.session().runner().fetch(ns + "/weights/" + spec.name() + "/read").run()) {
                    float[] tf = TfTensors.toHost((TFloat32) r.get(0)).data();
                    return spec.layout().toTorch(tf, spec.torchShape());
                }
            };
            write(dir.resolve("transformer"), m.transformerConfig().toString(), "diffusion_pytorch_model.safetensors",
                    TransformerParameters.specs(tc), read.apply("transformer"));
            write(dir.resolve("vae"), m.vaeConfig().toString(), "diffusion_pytorch_model.safetensors",
                    VaeParameters.decoderSpecs(vc), read.apply("vae"));
            if (m.hasTextEncoder()) {
                T5Config ec = T5Config.from(ConfigJson.parse(m.textEncoderConfig().toString()));
                write(dir.resolve("text_encoder"), m.textEncoderConfig().toString(), "model.safetensors",
                        T5Parameters.specs(ec), read.apply("text_encoder"));
                Files.createDirectories(dir.resolve("tokenizer"));
                Files.copy(exported.resolve(m.tokenizerFile()), dir.resolve("tokenizer").resolve("spiece.model"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode scheduler = m.schedulerConfig().deepCopy();
        writeString(dir.resolve("scheduler").resolve("scheduler_config.json"), scheduler.toString());
        return dir;
    }

    private static void write(Path dir, String configJson, String file, List<ParameterSpec> specs,
                              Function<ParameterSpec, float[]> torchValues) {
        SafetensorsWriter w = new SafetensorsWriter();
        for (ParameterSpec spec : specs) {
            w.f32(spec.name(), spec.torchShape(), torchValues.apply(spec));
        }
        try {
            Files.createDirectories(dir);
            w.write(dir.resolve(file));
            Files.writeString(dir.resolve("config.json"), JSON.readTree(configJson).toPrettyString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeString(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
