package io.cogflow.model.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.pipeline.LatentGeometry;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.t5.EncodeTextSignature;
import io.cogflow.model.t5.T5Config;
import io.cogflow.model.t5.T5Parameters;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tokenizer.T5Tokenizer;
import io.cogflow.model.transformer.DenoiseSignature;
import io.cogflow.model.transformer.TransformerConfig;
import io.cogflow.model.transformer.TransformerParameters;
import io.cogflow.model.vae.DecodeSignature;
import io.cogflow.model.vae.FrameChunks;
import io.cogflow.model.vae.VaeConfig;
import io.cogflow.model.vae.VaeParameters;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cogflow export}: builds one SavedModel from a diffusers-format CogVideoX folder — {@code encode_text}
 * (token ids → T5 embeddings), and per video size a {@code denoise} (latents, timesteps, text → v) and a
 * {@code decode} (unscaled latents → frames) signature, the batch free in all — plus the tokenizer and a
 * manifest with the source configs and every file's SHA-256. The sampling loop is not in the graph: it runs in
 * Java over {@code denoise}, which is what lets a server batch at step granularity.
 */
public final class ModelExporter {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Result(Path dir, ModelManifest manifest, long parameters, double seconds) {
    }

    private ModelExporter() {
    }

    public static Result export(Path from, Path to, ExportOptions options) {
        long start = System.nanoTime();
        DiffusersFolder src = DiffusersFolder.locate(from);
        String source = options.sourceNameFor(from);
        requireEmptyTarget(to);
        TransformerConfig tc = TransformerConfig.load(src.transformer());
        VaeConfig vc = VaeConfig.load(src.vae());
        T5Config ec = src.textEncoder() == null ? null : T5Config.load(src.textEncoder());
        checkCompatible(tc, vc, ec, src);
        checkPrecision(tc, options.compute(), src);
        List<ModelManifest.Size> sizes = sizes(tc, vc, options.sizes());
        Class<? extends TType> storage = switch (options.dtype()) {
            case "bfloat16" -> TBfloat16.class;
            case "float16" -> TFloat16.class;
            default -> TFloat32.class;
        };
        long parameters;
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            ModelVariables transformer = new ModelVariables(tf, "transformer", TransformerParameters.specs(tc),
                    storage);
            ModelVariables vae = new ModelVariables(tf, "vae", VaeParameters.decoderSpecs(vc), storage);
            ModelVariables encoder = ec == null ? null
                    : new ModelVariables(tf, "text_encoder", T5Parameters.specs(ec), storage);
            List<SavedModelWriter.SignatureBuilder> signatures = new ArrayList<>();
            if (ec != null) {
                EncodeTextSignature e = EncodeTextSignature.build(tf.withSubScope(ModelManifest.ENCODE_TEXT), ec, encoder,
                        tc.maxTextSeqLength());
                signatures.add(new SavedModelWriter.SignatureBuilder(ModelManifest.ENCODE_TEXT)
                        .input("input_ids", e.ids()).output("embeddings", e.embeddings()));
            }
            for (int i = 0; i < sizes.size(); i++) {
                ModelManifest.Size s = sizes.get(i);
                DenoiseSignature d = DenoiseSignature.build(tf.withSubScope(s.denoise()), tc, transformer, options.budget(),
                        s.paddedFrames(), s.latentHeight(), s.latentWidth(), tc.maxTextSeqLength());
                DecodeSignature v = DecodeSignature.build(tf.withSubScope(s.decode()), vc, vae, s.latentFrames(),
                        s.latentHeight(), s.latentWidth());
                List<String> denoiseKeys = i == 0 ? List.of(s.denoise(), "denoise") : List.of(s.denoise());
                for (String key : denoiseKeys) {
                    signatures.add(new SavedModelWriter.SignatureBuilder(key).input("latents", d.latents())
                            .input("timesteps", d.timesteps()).input("text", d.text()).output("v", d.v()));
                }
                List<String> decodeKeys = i == 0 ? List.of(s.decode(), "decode") : List.of(s.decode());
                for (String key : decodeKeys) {
                    signatures.add(new SavedModelWriter.SignatureBuilder(key).input("latents", v.latents())
                            .output("video", v.video()).output("frames", v.frames()));
                }
            }
            try (Session session = new Session(g, ConfigProto.getDefaultInstance())) {
                try (Checkpoint c = Checkpoint.open(src.transformer())) {
                    transformer.load(session, c);
                }
                try (Checkpoint c = Checkpoint.open(src.vae())) {
                    vae.load(session, c, List.of("encoder."));
                }
                List<ModelVariables.Variable> all = new ArrayList<>(transformer.variables());
                all.addAll(vae.variables());
                if (encoder != null) {
                    try (Checkpoint c = Checkpoint.open(src.textEncoder())) {
                        encoder.load(session, c);
                    }
                    all.addAll(encoder.variables());
                }
                parameters = all.stream().mapToLong(v -> v.spec().elementCount()).sum();
                List<String> outputs = signatures.stream()
                        .flatMap(b -> b.outputTensorNames().stream()).toList();
                SavedModelWriter.write(to, g, tf, session, all, signatures,
                        new MixedPrecisionRewrite(options.compute(), outputs));
            }
        }
        String tokenizer = null;
        if (src.tokenizerModel() != null) {
            tokenizer = "assets/" + T5Tokenizer.MODEL_FILE;
            copy(src.tokenizerModel(), to.resolve(tokenizer));
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (String f : ModelManifest.listFiles(to)) {
            files.put(f, ModelManifest.sha256(to.resolve(f)));
        }
        ModelManifest manifest = new ModelManifest(ModelManifest.FORMAT_VERSION, source,
                options.dtype(), json(src.transformer().resolve("config.json")), json(src.vae().resolve("config.json")),
                ec == null ? null : json(src.textEncoder().resolve("config.json")), json(src.schedulerConfig()),
                tokenizer, tc.maxTextSeqLength(), tc.textEmbedDim(), ec == null ? 0 : ec.vocabSize(),
                vc.scalingFactor(), vc.latentChannels(), new ModelManifest.Geometry(vc.spatialScale(),
                1 << vc.temporalCompressLevel(), tc.patchSize(), tc.temporalPatch()), sizes, files,
                options.compute());
        manifest.write(to);
        return new Result(to, manifest, parameters, (System.nanoTime() - start) / 1e9);
    }

    private static void checkCompatible(TransformerConfig tc, VaeConfig vc, T5Config ec, DiffusersFolder src) {
        if (tc.inChannels() != vc.latentChannels() || tc.outChannels() != vc.latentChannels()) {
            throw new IllegalArgumentException(src.root() + ": the transformer works on " + tc.inChannels()
                    + " latent channels but the VAE has " + vc.latentChannels());
        }
        if (ec != null && ec.dModel() != tc.textEmbedDim()) {
            throw new IllegalArgumentException(src.root() + ": the text encoder outputs " + ec.dModel()
                    + "-dim embeddings but the transformer expects text_embed_dim " + tc.textEmbedDim());
        }
    }

    /**
     * float16 only for the CogVideoX-2B family (sin-cos positions, no RoPE): 2B was run in fp16 by its authors,
     * while 5B and 1.5 overflow in fp16 and give NaN or black video (zai-org/CogVideo#593, #637, #559).
     */
    private static void checkPrecision(TransformerConfig tc, ComputePrecision compute, DiffusersFolder src) {
        if (compute == ComputePrecision.FLOAT16 && tc.useRotaryPositionalEmbeddings()) {
            throw new IllegalArgumentException(src.root() + " is a CogVideoX-5B / 1.5 family model (rotary "
                    + "positions): --compute float16 overflows in it and gives NaN or black video (zai-org/CogVideo "
                    + "#593, #637, #559); use --compute bfloat16, which has float32's range");
        }
    }

    /** The manifest's size entries, each checked against the model's geometry rules. */
    static List<ModelManifest.Size> sizes(TransformerConfig tc, VaeConfig vc, List<VideoSize> requested) {
        int scale = vc.spatialScale();
        int temporal = 1 << vc.temporalCompressLevel();
        List<VideoSize> list = requested.isEmpty()
                ? List.of(new VideoSize(tc.sampleWidth() * scale, tc.sampleHeight() * scale, tc.sampleFrames()))
                : requested;
        List<ModelManifest.Size> out = new ArrayList<>();
        for (VideoSize v : list) {
            LatentGeometry g = LatentGeometry.of(v, scale, temporal, tc.patchSize(), tc.temporalPatch());
            int decoded = FrameChunks.decodedFrames(g.latentFrames(), vc.temporalCompressLevel());
            if (decoded != v.frames()) {
                throw new IllegalArgumentException(v.frames() + " frames make " + g.latentFrames()
                        + " latent frames, which the chunked VAE decodes to " + decoded + " frames; use 1 + "
                        + 2 * temporal + "k frames (e.g. " + (1 + 2 * temporal) + ", " + (1 + 6 * temporal) + ")");
            }
            if (out.stream().anyMatch(s -> s.video().equals(v))) {
                continue;
            }
            String id = v.toString();
            out.add(new ModelManifest.Size(v, g.latentFrames(), g.paddedFrames(), g.latentHeight(), g.latentWidth(),
                    "denoise_" + id, "decode_" + id));
        }
        return List.copyOf(out);
    }

    private static void requireEmptyTarget(Path to) {
        try {
            if (Files.exists(to)) {
                try (var entries = Files.list(to)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalArgumentException(to + " already exists and is not empty; choose a new "
                                + "folder or remove it");
                    }
                }
            }
            Files.createDirectories(to);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + to, e);
        }
    }

    private static ObjectNode json(Path file) {
        try {
            return (ObjectNode) JSON.readTree(file.toFile());
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException(file + ": not a JSON object", e);
        }
    }

    private static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from, e);
        }
    }
}
