package io.cogflow.model.checkpoint;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TorchLayoutTest {

    private static float[] iota(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    @Test
    void linearWeightBecomesInByOut() {
        // torch [out=3, in=70] (larger than one transpose tile in one direction)
        float[] w = iota(3 * 70);
        float[] tf = TorchLayout.LINEAR.toTf(w, new long[]{3, 70});
        assertThat(TorchLayout.LINEAR.tfShape(new long[]{3, 70})).containsExactly(70, 3);
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 70; i++) {
                assertThat(tf[i * 3 + o]).isEqualTo(w[o * 70 + i]);
            }
        }
    }

    @Test
    void conv3dKernelBecomesTimeHeightWidthInOut() {
        int out = 2, in = 3, kt = 2, kh = 3, kw = 2;
        float[] w = iota(out * in * kt * kh * kw);
        long[] shape = {out, in, kt, kh, kw};
        float[] tf = TorchLayout.CONV3D.toTf(w, shape);
        assertThat(TorchLayout.CONV3D.tfShape(shape)).containsExactly(kt, kh, kw, in, out);
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int t = 0; t < kt; t++) {
                    for (int y = 0; y < kh; y++) {
                        for (int x = 0; x < kw; x++) {
                            float torch = w[(((o * in + i) * kt + t) * kh + y) * kw + x];
                            float flow = tf[(((t * kh + y) * kw + x) * in + i) * out + o];
                            assertThat(flow).isEqualTo(torch);
                        }
                    }
                }
            }
        }
    }

    @Test
    void conv2dKernelBecomesHeightWidthInOut() {
        int out = 4, in = 2, k = 3;
        float[] w = iota(out * in * k * k);
        long[] shape = {out, in, k, k};
        float[] tf = TorchLayout.CONV2D.toTf(w, shape);
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int y = 0; y < k; y++) {
                    for (int x = 0; x < k; x++) {
                        assertThat(tf[((y * k + x) * in + i) * out + o]).isEqualTo(w[((o * in + i) * k + y) * k + x]);
                    }
                }
            }
        }
    }

    @Test
    void patchConvBecomesALinearOverChannelRowColumnVectors() {
        int out = 5, in = 3, p = 2;
        float[] w = iota(out * in * p * p);
        long[] shape = {out, in, p, p};
        assertThat(TorchLayout.PATCH_CONV_AS_LINEAR.tfShape(shape)).containsExactly(in * p * p, out);
        float[] tf = TorchLayout.PATCH_CONV_AS_LINEAR.toTf(w, shape);
        // row (c·4 + py·2 + px) of the matrix holds kernel element [o, c, py, px]
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < in; c++) {
                for (int py = 0; py < p; py++) {
                    for (int px = 0; px < p; px++) {
                        int row = c * p * p + py * p + px;
                        assertThat(tf[row * out + o]).isEqualTo(w[((o * in + c) * p + py) * p + px]);
                    }
                }
            }
        }
    }

    @Test
    void toTorchUndoesToTfForEveryLayout() {
        long[][] shapes = {{7}, {3, 5}, {4, 2, 3, 3}, {4, 2, 3, 3, 3}, {6, 2, 2, 2}};
        TorchLayout[] layouts = {TorchLayout.AS_IS, TorchLayout.LINEAR, TorchLayout.CONV2D, TorchLayout.CONV3D,
                TorchLayout.PATCH_CONV_AS_LINEAR};
        for (int i = 0; i < layouts.length; i++) {
            int n = 1;
            for (long d : shapes[i]) {
                n *= (int) d;
            }
            float[] torch = iota(n);
            float[] tf = layouts[i].toTf(torch, shapes[i]);
            assertThat(layouts[i].toTorch(tf, shapes[i])).as(layouts[i].name()).containsExactly(torch);
        }
    }
}
