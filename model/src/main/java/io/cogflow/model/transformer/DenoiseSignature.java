package io.cogflow.model.transformer;

import io.cogflow.model.tf.ModelVariables;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The transformer as a graph for one latent size: latents [B, F, C, H, W], timesteps [B] and text embeddings
 * [B, T, D] → v-prediction [B, F, C, H, W]. The position tables are computed in Java (with the reference's
 * precision); a servable graph leaves the batch free and embeds them as constants, planning attention chunks per
 * sample.
 */
public record DenoiseSignature(Placeholder<TFloat32> latents, Placeholder<TInt64> timesteps, Placeholder<TFloat32> text,
                               Operand<TFloat32> v) {

    /** A servable graph: free batch, position tables embedded as constants. */
    public static DenoiseSignature build(Ops tf, TransformerConfig config, ModelVariables weights, AttentionBudget budget,
                                     int frames, int height, int width, int textLen) {
        return build(tf, config, weights, budget, -1, frames, height, width, textLen, DenoiseSignature::constant);
    }

    /**
     * @param batch  the batch size, or -1 to leave it free
     * @param tables how the position tables enter the graph
     */
    static DenoiseSignature build(Ops tf, TransformerConfig config, ModelVariables weights, AttentionBudget budget,
                              long batch, int frames, int height, int width, long textLen,
                              PositionInput.Tables tables) {
        LatentGrid grid = LatentGrid.of(config, frames, height, width);
        Placeholder<TFloat32> latents = tf.withName("latents").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(batch, frames, config.inChannels(), height, width)));
        Placeholder<TInt64> timesteps = tf.withName("timesteps").placeholder(TInt64.class,
                Placeholder.shape(Shape.of(batch)));
        Placeholder<TFloat32> text = tf.withName("text").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(batch, textLen, config.textEmbedDim())));
        TransformerInputs inputs = new TransformerInputs(latents, timesteps, text,
                PositionInput.of(tf, config, grid, tables));
        Operand<TFloat32> v = CogVideoXTransformer.of(config).forward(tf, weights, budget, inputs);
        return new DenoiseSignature(latents, timesteps, text, v);
    }

    private static Operand<TFloat32> constant(Ops tf, String name, long rows, long cols, float[] values) {
        return tf.withName(name).constant(Shape.of(rows, cols), DataBuffers.of(values, true, false));
    }
}
