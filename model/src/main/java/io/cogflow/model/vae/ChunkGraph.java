package io.cogflow.model.vae;

import org.tensorflow.Operand;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

import java.util.List;

/**
 * One chunk of a chunked encode or decode as a graph: the chunk's input (B, C, T, H, W), the frames carried in
 * from the previous chunk, the output (B, C', T', H', W'), and the frames to carry on.
 */
record ChunkGraph(Placeholder<TFloat32> input, List<Placeholder<TFloat32>> carriedIn, Operand<TFloat32> output,
                  List<Operand<TFloat32>> carriedOut) {
}
