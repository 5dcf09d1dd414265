package io.cogflow.model.plan;

import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.pipeline.LatentGeometry;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.transformer.AttentionBudget;
import io.cogflow.model.transformer.TransformerConfig;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One denoise step's graph to plan: a GraphDef, the tensor a step fetches, and what it is — the transformer
 * config and latent geometry (for the analytic FLOP cross-check) and whether its products should be modelled
 * at a compute type ({@code fromConfig}: built here in float32) or read from the graph (an exported model).
 */
public record DenoiseGraph(GraphDef graph, String fetch, TransformerConfig config, LatentGeometry geometry,
                           int textLength, boolean fromConfig, String description) {

    /**
     * Spatial downscale of the released CogVideoX VAEs (three 2× stages), assumed when only a transformer config is
     * planned: its config.json does not say which VAE it pairs with. An exported model's manifest does (the demo
     * model's VAE downscales 4×), so {@link #exported} reads the geometry from there.
     */
    public static final int VAE_SPATIAL_SCALE = 8;

    /**
     * The denoise signature of an exported model at one of its sizes, read from {@code saved_model.pb} and the
     * manifest (not verified against the checksums: nothing is loaded).
     *
     * @param size null for the model's first size
     */
    public static DenoiseGraph exported(Path dir, VideoSize size) {
        ModelManifest manifest = ModelManifest.read(dir);
        ModelManifest.Size s = size == null ? manifest.sizes().get(0) : manifest.size(size);
        SavedModel saved;
        try (InputStream in = Files.newInputStream(dir.resolve("saved_model.pb"))) {
            saved = SavedModel.parseFrom(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("saved_model.pb"), e);
        }
        MetaGraphDef meta = saved.getMetaGraphs(0);
        SignatureDef signature = meta.getSignatureDefOrDefault(s.denoise(), null);
        if (signature == null) {
            throw new IllegalArgumentException(dir + ": saved_model.pb has no signature " + s.denoise());
        }
        TensorInfo v = signature.getOutputsOrThrow("v");
        TransformerConfig config = TransformerConfig.from(ConfigJson.parse(manifest.transformerConfig().toString()));
        return new DenoiseGraph(meta.getGraphDef(), v.getName(), config, s.geometry(), manifest.textLength(), false,
                dir.getFileName() + " " + s.denoise() + " (weights stored as " + manifest.dtype()
                        + ", op types from the graph)");
    }

    /** A config's denoise graph at a video size, built here without weights, as {@code cogflow export} builds it. */
    public static DenoiseGraph fromConfig(TransformerConfig config, VideoSize size, AttentionBudget budget) {
        LatentGeometry g = geometry(config, size);
        try (TransformerGraph t = TransformerGraph.build(config, g, budget)) {
            return t.plan("transformer config.json, graph built without weights");
        }
    }

    /** The latent geometry a released CogVideoX VAE ({@link #VAE_SPATIAL_SCALE}) gives this transformer at a video size. */
    public static LatentGeometry geometry(TransformerConfig config, VideoSize size) {
        return LatentGeometry.of(size, VAE_SPATIAL_SCALE, config.temporalCompressionRatio(), config.patchSize(),
                config.temporalPatch());
    }
}
