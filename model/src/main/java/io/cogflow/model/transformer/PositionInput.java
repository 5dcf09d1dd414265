package io.cogflow.model.transformer;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

/**
 * Where the video tokens are, as the transformer graph takes it: a sin-cos table added to the patch embeddings
 * (2B), or rotary cos/sin tables applied to q and k (the RoPE families). {@link #of} is the one place that picks
 * the kind for a config and computes its tables.
 */
public sealed interface PositionInput permits PositionInput.SinCos, PositionInput.Rotary {

    /** @param table [V, D] from {@link SinCosPositions} */
    record SinCos(Operand<TFloat32> table) implements PositionInput {
    }

    /** @param cos [rows, head_dim] from {@link RotaryPositions}; @param sin the same layout */
    record Rotary(Operand<TFloat32> cos, Operand<TFloat32> sin) implements PositionInput {

        /** Prepends {@code textLen} identity rows (cos 1, sin 0) so the rotation leaves text tokens unchanged. */
        Rotary withTextRows(Ops tf, long textLen) {
            return new Rotary(prepend(tf, cos, textLen, 1f), prepend(tf, sin, textLen, 0f));
        }

        private static Operand<TFloat32> prepend(Ops tf, Operand<TFloat32> table, long rows, float value) {
            long hd = table.shape().size(1);
            Operand<TFloat32> fill = tf.fill(tf.constant(new long[]{rows, hd}), tf.constant(value));
            return tf.concat(List.of(fill, table), tf.constant(0));
        }
    }

    /**
     * Turns a table computed in Java into a graph operand: an embedded constant for a servable graph, or a
     * placeholder fed per call so a session's graph stays small.
     */
    @FunctionalInterface
    interface Tables {
        Operand<TFloat32> table(Ops tf, String name, long rows, long cols, float[] values);
    }

    /** The position input of {@code config}'s family for a latent grid, its tables made by {@code tables}. */
    static PositionInput of(Ops tf, TransformerConfig config, LatentGrid grid, Tables tables) {
        if (config.positionEncoding() == PositionEncoding.SINCOS_3D) {
            return new SinCos(tables.table(tf, "sincos", grid.tokens(), config.innerDim(),
                    SinCosPositions.table(config, grid)));
        }
        RotaryPositions rope = RotaryPositions.of(config, grid);
        return new Rotary(tables.table(tf, "rope_cos", rope.tokens(), rope.headDim(), rope.cos()),
                tables.table(tf, "rope_sin", rope.tokens(), rope.headDim(), rope.sin()));
    }
}
