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
 * The transformer as a servable graph for one latent size: latents [B, F, C, H, W], timesteps [B] and text
 * embeddings [B, T, D] with the batch left free → v-prediction [B, F, C, H, W]. The position tables are
 * computed in Java (with the reference's precision) and embedded as constants; attention chunking is planned
 * per sample.
 */
public record DenoiseGraph(Placeholder<TFloat32> latents, Placeholder<TInt64> timesteps, Placeholder<TFloat32> text,
                           Operand<TFloat32> v) {

    public static DenoiseGraph build(Ops tf, TransformerConfig config, ModelVariables weights, AttentionBudget budget,
                                     int frames, int height, int width, int textLen) {
        LatentGrid grid = LatentGrid.of(config, frames, height, width);
        Placeholder<TFloat32> latents = tf.withName("latents").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, frames, config.inChannels(), height, width)));
        Placeholder<TInt64> timesteps = tf.withName("timesteps").placeholder(TInt64.class,
                Placeholder.shape(Shape.of(-1)));
        Placeholder<TFloat32> text = tf.withName("text").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, textLen, config.textEmbedDim())));
        TransformerInputs inputs;
        if (config.positionEncoding() == PositionEncoding.SINCOS_3D) {
            Operand<TFloat32> table = table(tf, "sincos", grid.tokens(), config.innerDim(),
                    SinCosPositions.table(config, grid));
            inputs = new TransformerInputs(latents, timesteps, text, table, null, null);
        } else {
            RotaryPositions rope = RotaryPositions.of(config, grid);
            inputs = new TransformerInputs(latents, timesteps, text, null,
                    table(tf, "rope_cos", rope.tokens(), rope.headDim(), rope.cos()),
                    table(tf, "rope_sin", rope.tokens(), rope.headDim(), rope.sin()));
        }
        Operand<TFloat32> v = new CogVideoXTransformer(config, weights, budget).forward(tf, inputs);
        return new DenoiseGraph(latents, timesteps, text, v);
    }

    private static Operand<TFloat32> table(Ops tf, String name, long rows, long cols, float[] values) {
        return tf.withName(name).constant(Shape.of(rows, cols), DataBuffers.of(values, true, false));
    }
}
