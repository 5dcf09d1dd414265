package io.cogflow.model.vae;

import io.cogflow.model.tensor.HostTensor;

import java.util.List;

/** Slicing and joining host videos (B, C, T, H, W) along one axis, for chunks, tiles and batch slices. */
final class VideoTensors {
    private VideoTensors() {
    }

    static void requireVideo(HostTensor x, String what) {
        if (x.shape().length != 5) {
            throw new IllegalArgumentException(what + " must be (B, C, T, H, W), got " + x.shapeString());
        }
    }

    /** Elements [from, to) along {@code axis}. */
    static HostTensor slice(HostTensor x, int axis, int from, int to) {
        long[] s = x.shape();
        if (from == 0 && to == s[axis]) {
            return x;
        }
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= s[i];
        }
        long inner = 1;
        for (int i = axis + 1; i < s.length; i++) {
            inner *= s[i];
        }
        int len = to - from;
        long[] shape = s.clone();
        shape[axis] = len;
        float[] out = new float[Math.toIntExact(outer * len * inner)];
        for (long o = 0; o < outer; o++) {
            System.arraycopy(x.data(), (int) ((o * s[axis] + from) * inner), out, (int) (o * len * inner),
                    (int) (len * inner));
        }
        return new HostTensor(shape, out);
    }

    static HostTensor concat(List<HostTensor> parts, int axis) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        long[] shape = parts.get(0).shape().clone();
        long total = 0;
        for (HostTensor p : parts) {
            total += p.shape()[axis];
        }
        shape[axis] = total;
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        long inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        float[] out = new float[Math.toIntExact(outer * total * inner)];
        long offset = 0;
        for (HostTensor p : parts) {
            long len = p.shape()[axis];
            for (long o = 0; o < outer; o++) {
                System.arraycopy(p.data(), (int) (o * len * inner), out, (int) ((o * total + offset) * inner),
                        (int) (len * inner));
            }
            offset += len;
        }
        return new HostTensor(shape, out);
    }
}
