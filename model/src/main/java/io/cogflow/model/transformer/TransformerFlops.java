package io.cogflow.model.transformer;

/**
 * Analytic floating-point operations of one transformer forward (2 per multiply-add), counting the matrix
 * products: projections, attention scores and weighted sums, feed-forward, embeddings and output head.
 * Element-wise work (norms, softmax, activations) is left out; it is a few percent at real sizes.
 */
public final class TransformerFlops {
    private TransformerFlops() {
    }

    public static double forward(TransformerConfig c, long batch, LatentGrid grid, long textLen) {
        double d = c.innerDim();
        double te = c.timeEmbedDim();
        double v = grid.tokens();
        double s = v + textLen;
        double perLayer = 2 * (2 * te * 6 * d)   // two adaptive-norm modulations
                + 8 * s * d * d                  // q, k, v, out projections
                + 4 * s * s * d                  // q·kᵀ and probs·v over all heads
                + 16 * s * d * d;                // feed-forward D → 4D → D
        double embed = 2 * textLen * c.textEmbedDim() * d
                + 2 * v * c.patchVectorIn() * d
                + 2 * (d * te + te * te);
        double head = 2 * te * 2 * d + 2 * v * d * c.patchVectorOut();
        return batch * (embed + c.numLayers() * perLayer + head);
    }
}
