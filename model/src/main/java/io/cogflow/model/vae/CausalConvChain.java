package io.cogflow.model.vae;

import io.cogflow.model.tf.ModelVariables;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The causal 3D convolutions of one chunk graph, in build order, and the frames each carries to the next chunk.
 * A causal conv with time kernel k sees k − 1 frames before its input: the previous chunk's last k − 1 (padded)
 * input frames when resuming, the first frame repeated on a fresh start. Building the same network with the
 * same chunk shape always visits the convs in the same order, so chunk graphs pair their inputs and outputs by
 * position.
 */
final class CausalConvChain {
    private final Ops tf;
    private final boolean resumed;
    private final List<Operand<TFloat32>> carriedFrom;
    private final List<Placeholder<TFloat32>> carriedIn = new ArrayList<>();
    private final List<Operand<TFloat32>> carriedOut = new ArrayList<>();

    /** @param resumed whether the chunk continues a video (carried frames are fed) or starts one */
    CausalConvChain(Ops tf, boolean resumed) {
        this.tf = tf;
        this.resumed = resumed;
        this.carriedFrom = null;
    }

    /** Resumes from another chunk's carried frames in the same graph (a decode unrolled over its chunks). */
    CausalConvChain(Ops tf, List<Operand<TFloat32>> carriedFrom) {
        this.tf = tf;
        this.resumed = true;
        this.carriedFrom = carriedFrom;
    }

    /**
     * {@code CogVideoXCausalConv3d}: front time padding (carried or replicated), zero spatial padding of half
     * the kernel, stride 1.
     */
    Operand<TFloat32> apply(Operand<TFloat32> x, ModelVariables w, Conv3d conv) {
        int kt = conv.kernel();
        Operand<TFloat32> padded = x;
        if (kt > 1) {
            long[] s = x.shape().asArray();
            Operand<TFloat32> front;
            if (carriedFrom != null) {
                front = carriedFrom.get(carriedOut.size());
            } else if (resumed) {
                Placeholder<TFloat32> in = tf.withName("carried_in_" + carriedIn.size()).placeholder(TFloat32.class,
                        Placeholder.shape(Shape.of(s[0], kt - 1, s[2], s[3], s[4])));
                carriedIn.add(in);
                front = in;
            } else {
                Operand<TFloat32> first = VideoOps.frames(tf, x, 0, 1);
                front = VideoOps.concatFrames(tf, Collections.nCopies(kt - 1, first));
            }
            padded = tf.concat(List.of(front, x), tf.constant(VideoOps.T));
            long t = VideoOps.dim(padded, VideoOps.T);
            carriedOut.add(VideoOps.frames(tf, padded, t - (kt - 1), t));
        }
        int half = (conv.kernel() - 1) / 2;
        return conv.apply(tf, w, VideoOps.padSpatial(tf, padded, SpatialPadding.all(half)));
    }

    /** Placeholders for the previous chunk's carried frames (empty on a fresh start). */
    List<Placeholder<TFloat32>> carriedIn() {
        return List.copyOf(carriedIn);
    }

    /** This chunk's carried frames, for the next chunk, in the same order. */
    List<Operand<TFloat32>> carriedOut() {
        return List.copyOf(carriedOut);
    }
}
