package io.cogflow.bench.fullsize;

import io.cogflow.model.checkpoint.DType;
import io.cogflow.model.checkpoint.HalfFloats;
import io.cogflow.model.checkpoint.ShardedWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Seeded stand-in weights in PyTorch layout, streamed into a {@link ShardedWriter} a chunk at a time: matrices
 * uniform with the variance of N(0, 1/fan_in) (fan_in = elements / output dimension, dimension 0 in PyTorch),
 * vectors named {@code *.weight} 1 (norm scales), other vectors 0 (biases) — the convention of the project's
 * {@code RandomWeights}. Uniform rather than Gaussian because billions of values are drawn: the statistics a
 * forward pass sees (variance per layer) are the same, and drawing is several times faster. The same seed and
 * name give the same values whatever the order tensors are written in.
 */
final class SeededTensors implements ShardedWriter.Data {
    private static final int CHUNK = 1 << 20;
    private final long seed;

    SeededTensors(long seed) {
        this.seed = seed;
    }

    @Override
    public void write(ShardedWriter.Tensor t, ShardedWriter.Sink out) throws IOException {
        if (t.dtype() != DType.BF16 && t.dtype() != DType.F32) {
            throw new IllegalArgumentException("seeded weights are written as BF16 or F32, not " + t.dtype());
        }
        long n = t.elementCount();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(n, CHUNK) * t.dtype().bytes())
                .order(ByteOrder.LITTLE_ENDIAN);
        if (t.shape().length == 1) {
            float v = t.name().endsWith(".weight") ? 1f : 0f;
            for (long i = 0; i < n; i++) {
                put(buf, t.dtype(), v);
                if (!buf.hasRemaining()) {
                    out.put(buf.flip());
                    buf.clear();
                }
            }
        } else {
            double halfWidth = Math.sqrt(3.0 * t.shape()[0] / n); // uniform(-a, a) has variance a^2/3 = 1/fan_in
            SplittableRandom r = new SplittableRandom(seed ^ t.name().hashCode() * 0x9E3779B97F4A7C15L);
            for (long i = 0; i < n; i++) {
                put(buf, t.dtype(), (float) ((2 * r.nextDouble() - 1) * halfWidth));
                if (!buf.hasRemaining()) {
                    out.put(buf.flip());
                    buf.clear();
                }
            }
        }
        if (buf.position() > 0) {
            out.put(buf.flip());
        }
    }

    private static void put(ByteBuffer buf, DType dtype, float v) {
        if (dtype == DType.BF16) {
            buf.putShort(HalfFloats.toBf16(v));
        } else {
            buf.putFloat(v);
        }
    }
}
