package io.cogflow.model.plan;

import io.cogflow.model.pipeline.LatentGeometry;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.transformer.AttentionBudget;
import io.cogflow.model.transformer.DenoiseSignature;
import io.cogflow.model.transformer.TransformerConfig;
import io.cogflow.model.transformer.TransformerParameters;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A transformer's denoise graph as {@code cogflow export} builds it — float32 resource variables under
 * {@code transformer/}, one {@code denoise_<size>} signature with a free batch — but with nothing assigned, so
 * even the full 5B config builds in seconds and little memory. A caller that assigns the weights can run it.
 */
public final class TransformerGraph implements AutoCloseable {
    private final Graph graph;
    private final ModelVariables weights;
    private final DenoiseSignature signature;
    private final TransformerConfig config;
    private final LatentGeometry geometry;

    private TransformerGraph(Graph graph, ModelVariables weights, DenoiseSignature signature,
                             TransformerConfig config, LatentGeometry geometry) {
        this.graph = graph;
        this.weights = weights;
        this.signature = signature;
        this.config = config;
        this.geometry = geometry;
    }

    public static TransformerGraph build(TransformerConfig config, LatentGeometry g, AttentionBudget budget) {
        config.requireTextToVideo();
        Graph graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            ModelVariables weights = new ModelVariables(tf, "transformer", TransformerParameters.specs(config),
                    TFloat32.class);
            DenoiseSignature d = DenoiseSignature.build(tf.withSubScope("denoise_" + g.size()), config, weights,
                    budget, g.paddedFrames(), g.latentHeight(), g.latentWidth(), config.maxTextSeqLength());
            return new TransformerGraph(graph, weights, d, config, g);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    public Graph graph() {
        return graph;
    }

    public ModelVariables weights() {
        return weights;
    }

    public DenoiseSignature signature() {
        return signature;
    }

    /** This graph as a plan input. */
    public DenoiseGraph plan(String description) {
        String fetch = signature.v().op().name() + ":" + signature.v().asOutput().index();
        return new DenoiseGraph(graph.toGraphDef(), fetch, config, geometry, config.maxTextSeqLength(), true,
                description);
    }

    @Override
    public void close() {
        graph.close();
    }
}
