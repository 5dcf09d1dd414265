package io.cogflow.model.vae;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;

/**
 * A chunked encode or decode unrolled in one graph: the input (B, C, T, H, W) is sliced in time as
 * {@link FrameChunks#plan} says, each chunk built on the previous chunk's carried frames, and the outputs
 * concatenated in time.
 */
final class UnrolledChunks {

    /** Builds one chunk on {@code slice} with {@code carried} frames (null for the first chunk). */
    interface Chunk {
        ChunkGraph build(Ops tf, Operand<TFloat32> slice, List<Operand<TFloat32>> carried);
    }

    private UnrolledChunks() {
    }

    /**
     * @param sequential add control edges so chunks run one after another (only one chunk's activations alive
     *                   at a time, for serving); training graphs keep every activation for the backward pass anyway
     */
    static Operand<TFloat32> build(Ops tf, Operand<TFloat32> input, int perChunk, String prefix, boolean sequential,
                                   Chunk chunk) {
        return build(tf, input, perChunk, prefix, sequential, null, chunk);
    }

    /**
     * @param after null, or an op the first chunk must wait for when {@code sequential} (the previous tile of a
     *              tiled decode)
     * @return the chunks' outputs joined in time; as an op it completes only after every chunk has run
     */
    static Operand<TFloat32> build(Ops tf, Operand<TFloat32> input, int perChunk, String prefix, boolean sequential,
                                   Op after, Chunk chunk) {
        List<Operand<TFloat32>> parts = new ArrayList<>();
        List<Operand<TFloat32>> carried = null;
        Op previous = after;
        int index = 0;
        for (FrameChunks.Range r : FrameChunks.plan((int) input.shape().get(2), perChunk)) {
            Ops scope = tf.withSubScope(prefix + index++);
            if (sequential && previous != null) {
                scope = scope.withControlDependencies(List.of(previous));
            }
            Operand<TFloat32> slice = scope.slice(input, scope.constant(new int[]{0, 0, r.start(), 0, 0}),
                    scope.constant(new int[]{-1, -1, r.length(), -1, -1}));
            ChunkGraph g = chunk.build(scope, slice, carried);
            parts.add(g.output());
            carried = g.carriedOut();
            previous = (Op) g.output();
        }
        return parts.size() == 1 ? parts.get(0) : tf.concat(parts, tf.constant(2));
    }
}
