package io.cogflow.model.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cogflow.model.pipeline.LatentGeometry;
import io.cogflow.model.pipeline.VideoSize;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code cogflow-model.json}: what an exported model is and how to call it — the source configs, the sampler
 * defaults, the tokenizer, the video sizes it was built for (each with its signatures) — and the SHA-256 of
 * every file, checked on load so a modified or incomplete model is refused rather than half-working.
 *
 * <p>{@code source} names what the model was exported from — the source folder's own name or the name given to
 * the export ({@link ExportOptions#sourceName()}) — and is never a path: the file travels with the model. It is
 * for people; nothing loads by it. Models exported before this rule may hold a path there and still load.
 */
public record ModelManifest(
        int formatVersion,
        String source,
        String dtype,
        ObjectNode transformerConfig,
        ObjectNode vaeConfig,
        ObjectNode textEncoderConfig,
        ObjectNode schedulerConfig,
        String tokenizerFile,
        int textLength,
        int textEmbedDim,
        int textEncoderVocab,
        double vaeScalingFactor,
        int latentChannels,
        Geometry geometry,
        List<Size> sizes,
        Map<String, String> files,
        ComputePrecision compute) {

    /** A manifest of a float32 graph (the compute precision is recorded since issue 17; older models are float32). */
    public ModelManifest(int formatVersion, String source, String dtype, ObjectNode transformerConfig,
                         ObjectNode vaeConfig, ObjectNode textEncoderConfig, ObjectNode schedulerConfig,
                         String tokenizerFile, int textLength, int textEmbedDim, int textEncoderVocab,
                         double vaeScalingFactor, int latentChannels, Geometry geometry, List<Size> sizes,
                         Map<String, String> files) {
        this(formatVersion, source, dtype, transformerConfig, vaeConfig, textEncoderConfig, schedulerConfig,
                tokenizerFile, textLength, textEmbedDim, textEncoderVocab, vaeScalingFactor, latentChannels,
                geometry, sizes, files, ComputePrecision.FLOAT32);
    }

    public static final String FILE = "cogflow-model.json";
    public static final int FORMAT_VERSION = 1;
    public static final String ENCODE_TEXT = "encode_text";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The model's size rules: VAE spatial scale and temporal compression, transformer patch sizes. */
    public record Geometry(int spatialScale, int temporalCompression, int patch, int temporalPatch) {
        public LatentGeometry of(VideoSize size) {
            return LatentGeometry.of(size, spatialScale, temporalCompression, patch, temporalPatch);
        }
    }

    /** One supported video size, its latent geometry and the signatures built for it. */
    public record Size(VideoSize video, int latentFrames, int paddedFrames, int latentHeight, int latentWidth,
                       String denoise, String decode) {
        public LatentGeometry geometry() {
            return new LatentGeometry(video, latentFrames, paddedFrames, latentHeight, latentWidth);
        }
    }

    public boolean hasTextEncoder() {
        return textEncoderConfig != null;
    }

    /** The size entry for a request, or an error listing the sizes this model supports. */
    public Size size(VideoSize video) {
        geometry.of(video); // a size breaking the model's rules gets the rule, not just "not exported"
        for (Size s : sizes) {
            if (s.video().equals(video)) {
                return s;
            }
        }
        throw new IllegalArgumentException("this model was exported for " + sizes.stream()
                .map(s -> s.video().toString()).toList() + " (WIDTHxHEIGHTxFRAMES), not " + video
                + "; export it with --size " + video);
    }

    /** The size whose latents the transformer sees as (F, h, w), for calls that only know tensor shapes. */
    public Size sizeForLatents(int paddedFrames, int latentHeight, int latentWidth) {
        for (Size s : sizes) {
            if (s.paddedFrames() == paddedFrames && s.latentHeight() == latentHeight
                    && s.latentWidth() == latentWidth) {
                return s;
            }
        }
        throw new IllegalArgumentException("no exported size has latents " + paddedFrames + "x" + latentHeight
                + "x" + latentWidth);
    }

    public void write(Path dir) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "cogflow-model");
        root.put("format_version", formatVersion);
        root.put("source", source);
        root.put("dtype", dtype);
        root.put("compute", compute.id());
        ObjectNode components = root.putObject("components");
        components.set("transformer", transformerConfig);
        components.set("vae", vaeConfig);
        components.set("text_encoder", textEncoderConfig);
        components.set("scheduler", schedulerConfig);
        root.put("tokenizer", tokenizerFile);
        root.put("text_length", textLength);
        root.put("text_embed_dim", textEmbedDim);
        root.put("text_encoder_vocab", textEncoderVocab);
        root.put("vae_scaling_factor", vaeScalingFactor);
        root.put("latent_channels", latentChannels);
        ObjectNode g = root.putObject("geometry");
        g.put("spatial_scale", geometry.spatialScale());
        g.put("temporal_compression", geometry.temporalCompression());
        g.put("patch_size", geometry.patch());
        g.put("patch_size_t", geometry.temporalPatch());
        var list = root.putArray("sizes");
        for (Size s : sizes) {
            ObjectNode n = list.addObject();
            n.put("width", s.video().width());
            n.put("height", s.video().height());
            n.put("frames", s.video().frames());
            n.put("latent_frames", s.latentFrames());
            n.put("padded_latent_frames", s.paddedFrames());
            n.put("latent_height", s.latentHeight());
            n.put("latent_width", s.latentWidth());
            n.put("denoise", s.denoise());
            n.put("decode", s.decode());
        }
        ObjectNode f = root.putObject("files");
        files.forEach(f::put);
        try {
            JSON.writeValue(dir.resolve(FILE).toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
        }
    }

    /** Reads the manifest of an exported model and checks every file against its SHA-256. */
    public static ModelManifest readVerified(Path dir) {
        ModelManifest m = read(dir);
        m.verify(dir);
        return m;
    }

    public static ModelManifest read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(dir + " is not an exported cogflow model (no " + FILE
                    + "); create one with: cogflow export --from <diffusers folder> --to " + dir);
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            int version = root.path("format_version").asInt(-1);
            if (!"cogflow-model".equals(root.path("format").asText()) || version != FORMAT_VERSION) {
                throw new IllegalArgumentException(file + ": not a cogflow model manifest of format version "
                        + FORMAT_VERSION);
            }
            JsonNode c = root.path("components");
            List<Size> sizes = new ArrayList<>();
            for (JsonNode n : root.path("sizes")) {
                sizes.add(new Size(new VideoSize(n.path("width").asInt(), n.path("height").asInt(),
                        n.path("frames").asInt()), n.path("latent_frames").asInt(),
                        n.path("padded_latent_frames").asInt(), n.path("latent_height").asInt(),
                        n.path("latent_width").asInt(), n.path("denoise").asText(), n.path("decode").asText()));
            }
            Map<String, String> files = new LinkedHashMap<>();
            root.path("files").fields().forEachRemaining(e -> files.put(e.getKey(), e.getValue().asText()));
            files.keySet().forEach(name -> ManifestEntries.resolve(dir, name));
            if (root.path("tokenizer").isTextual()) {
                ManifestEntries.resolve(dir, root.get("tokenizer").asText());
            }
            return new ModelManifest(version, root.path("source").asText(), root.path("dtype").asText(),
                    object(c.get("transformer")), object(c.get("vae")), object(c.get("text_encoder")),
                    object(c.get("scheduler")), root.path("tokenizer").isTextual() ? root.get("tokenizer").asText()
                    : null, root.path("text_length").asInt(), root.path("text_embed_dim").asInt(),
                    root.path("text_encoder_vocab").asInt(), root.path("vae_scaling_factor").asDouble(),
                    root.path("latent_channels").asInt(), new Geometry(root.path("geometry").path("spatial_scale")
                    .asInt(), root.path("geometry").path("temporal_compression").asInt(), root.path("geometry")
                    .path("patch_size").asInt(), root.path("geometry").path("patch_size_t").asInt()),
                    List.copyOf(sizes), files, root.has("compute")
                    ? ComputePrecision.parse(root.get("compute").asText()) : ComputePrecision.FLOAT32);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    private static ObjectNode object(JsonNode n) {
        return n instanceof ObjectNode o ? o : null;
    }

    /**
     * Every listed file lies inside {@code dir} and exists with its recorded SHA-256, and the model folder holds
     * no unlisted file (the signature, {@link ModelSignature#FILE}, aside: it signs this manifest).
     */
    public void verify(Path dir) {
        List<String> problems = new ArrayList<>();
        files.forEach((name, expected) -> {
            Path f = ManifestEntries.resolve(dir, name);
            if (!Files.isRegularFile(f)) {
                problems.add("missing " + name);
            } else if (!sha256(f).equals(expected)) {
                problems.add(name + " was modified (SHA-256 differs from the manifest)");
            }
        });
        for (String name : listFiles(dir)) {
            if (!files.containsKey(name) && !name.equals(FILE) && !name.equals(ModelSignature.FILE)) {
                problems.add("unexpected file " + name);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("refusing exported model " + dir + ": "
                    + String.join("; ", problems) + " — re-export it with cogflow export");
        }
    }

    /** Relative paths ('/'-separated) of every regular file under {@code dir}, sorted. */
    static List<String> listFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
