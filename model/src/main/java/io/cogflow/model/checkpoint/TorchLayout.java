package io.cogflow.model.checkpoint;

import java.util.Arrays;

/**
 * How a PyTorch tensor layout maps to the layout the TensorFlow graph consumes. Conversion happens once, at
 * load time, so the graph only ever sees TF conventions: {@code x · W} for linears, {@code [k…, in, out]} kernels.
 */
public enum TorchLayout {
    /** Vectors and anything else used as stored (norm weights, biases, embedding tables). */
    AS_IS,
    /** {@code nn.Linear.weight} [out, in] → [in, out] for {@code MatMul(x, W)}. */
    LINEAR,
    /** {@code nn.Conv2d.weight} [out, in, kh, kw] → [kh, kw, in, out]. */
    CONV2D,
    /** {@code nn.Conv3d.weight} [out, in, kt, kh, kw] → [kt, kh, kw, in, out]. */
    CONV3D,
    /**
     * A Conv2d whose stride equals its kernel (a patch embedding) [out, in, p, p] → [in·p·p, out]: a linear
     * on patches flattened in (channel, row, column) order.
     */
    PATCH_CONV_AS_LINEAR;

    /** The TF-side shape of a tensor stored with {@code torchShape}. */
    public long[] tfShape(long[] torchShape) {
        requireRank(torchShape);
        long[] s = torchShape;
        return switch (this) {
            case AS_IS -> s.clone();
            case LINEAR -> new long[]{s[1], s[0]};
            case CONV2D -> new long[]{s[2], s[3], s[1], s[0]};
            case CONV3D -> new long[]{s[2], s[3], s[4], s[1], s[0]};
            case PATCH_CONV_AS_LINEAR -> new long[]{s[1] * s[2] * s[3], s[0]};
        };
    }

    /**
     * The shape under which the PyTorch tensor's bytes, unchanged, are viewed so that one axis permutation
     * ({@link #permutation}) gives the TF layout: the PyTorch shape itself, except for a patch convolution, whose
     * trailing (in, kh, kw) axes are viewed as one.
     */
    public long[] permutableShape(long[] torchShape) {
        requireRank(torchShape);
        long[] s = torchShape;
        return this == PATCH_CONV_AS_LINEAR ? new long[]{s[0], s[1] * s[2] * s[3]} : s.clone();
    }

    /**
     * The axis permutation (output axis i is input axis {@code perm[i]}) from {@link #permutableShape} to
     * {@link #tfShape}, for a graph's Transpose; null for {@link #AS_IS}, which needs none.
     */
    public int[] permutation() {
        return switch (this) {
            case AS_IS -> null;
            case LINEAR, PATCH_CONV_AS_LINEAR -> new int[]{1, 0};
            case CONV2D -> new int[]{2, 3, 1, 0};
            case CONV3D -> new int[]{2, 3, 4, 1, 0};
        };
    }

    /** Rearranges {@code data} (row-major, {@code torchShape}) into the row-major TF layout. */
    public float[] toTf(float[] data, long[] torchShape) {
        requireRank(torchShape);
        long[] s = torchShape;
        return switch (this) {
            case AS_IS -> data;
            case LINEAR -> transpose2d(data, (int) s[0], (int) s[1]);
            case CONV2D -> permute(data, s, new int[]{2, 3, 1, 0});
            case CONV3D -> permute(data, s, new int[]{2, 3, 4, 1, 0});
            // [out, in·p·p] transposed: the trailing (in, kh, kw) dims already flatten in patch order
            case PATCH_CONV_AS_LINEAR -> transpose2d(data, (int) s[0], (int) (s[1] * s[2] * s[3]));
        };
    }

    /** The inverse of {@link #toTf}: TF-layout {@code data} back to the row-major PyTorch layout. */
    public float[] toTorch(float[] data, long[] torchShape) {
        requireRank(torchShape);
        long[] s = torchShape;
        long[] tf = tfShape(torchShape);
        return switch (this) {
            case AS_IS -> data;
            case LINEAR -> transpose2d(data, (int) s[1], (int) s[0]);
            case CONV2D -> permute(data, tf, new int[]{3, 2, 0, 1});
            case CONV3D -> permute(data, tf, new int[]{4, 3, 0, 1, 2});
            case PATCH_CONV_AS_LINEAR -> transpose2d(data, (int) (s[1] * s[2] * s[3]), (int) s[0]);
        };
    }

    private void requireRank(long[] shape) {
        int rank = switch (this) {
            case AS_IS -> shape.length;
            case LINEAR -> 2;
            case CONV2D, PATCH_CONV_AS_LINEAR -> 4;
            case CONV3D -> 5;
        };
        if (shape.length != rank) {
            throw new IllegalArgumentException(this + " expects a rank-" + rank + " tensor, got "
                    + Arrays.toString(shape));
        }
    }

    /** [rows, cols] → [cols, rows], in cache-sized tiles so large matrices stay fast. */
    static float[] transpose2d(float[] a, int rows, int cols) {
        float[] out = new float[a.length];
        final int tile = 64;
        for (int r0 = 0; r0 < rows; r0 += tile) {
            int r1 = Math.min(rows, r0 + tile);
            for (int c0 = 0; c0 < cols; c0 += tile) {
                int c1 = Math.min(cols, c0 + tile);
                for (int r = r0; r < r1; r++) {
                    int src = r * cols;
                    for (int c = c0; c < c1; c++) {
                        out[c * rows + r] = a[src + c];
                    }
                }
            }
        }
        return out;
    }

    /** General axis permutation: output axis i is input axis {@code perm[i]}. */
    static float[] permute(float[] a, long[] shape, int[] perm) {
        int rank = shape.length;
        long[] inStride = new long[rank];
        long stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            inStride[i] = stride;
            stride *= shape[i];
        }
        long[] outShape = new long[rank];
        long[] strideOfOutAxis = new long[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[perm[i]];
            strideOfOutAxis[i] = inStride[perm[i]];
        }
        float[] out = new float[a.length];
        long[] idx = new long[rank];
        long src = 0;
        for (int o = 0; o < out.length; o++) {
            out[o] = a[(int) src];
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                src += strideOfOutAxis[d];
                if (idx[d] < outShape[d]) {
                    break;
                }
                src -= strideOfOutAxis[d] * outShape[d];
                idx[d] = 0;
            }
        }
        return out;
    }
}
