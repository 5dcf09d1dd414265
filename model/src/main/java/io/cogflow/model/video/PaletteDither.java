package io.cogflow.model.video;

import java.util.Arrays;

/**
 * Maps RGB frames onto a palette with Floyd–Steinberg error diffusion (smooth gradients instead of bands). The
 * diffused error is clamped so one bad match cannot smear across a row. Nearest colours are cached per 6-bit
 * RGB cell, which keeps the search off the per-pixel path.
 */
final class PaletteDither {
    private static final int MAX_ERROR = 48;

    private final int[] palette;
    private final short[] cache = new short[1 << 18];

    PaletteDither(int[] palette) {
        this.palette = palette.clone();
        Arrays.fill(cache, (short) -1);
    }

    /** Palette indices of frame f, row-major. */
    byte[] indices(VideoFrames v, int f) {
        int w = v.width();
        int h = v.height();
        byte[] rgb = v.rgb();
        int base = v.frameOffset(f);
        byte[] out = new byte[w * h];
        // error rows padded by one pixel each side so the kernel needs no edge tests
        int[] cur = new int[(w + 2) * 3];
        int[] next = new int[(w + 2) * 3];
        for (int y = 0; y < h; y++) {
            Arrays.fill(next, 0);
            for (int x = 0; x < w; x++) {
                int i = base + (y * w + x) * 3;
                int e = (x + 1) * 3;
                int r = clamp((rgb[i] & 0xFF) + cur[e] / 16);
                int g = clamp((rgb[i + 1] & 0xFF) + cur[e + 1] / 16);
                int b = clamp((rgb[i + 2] & 0xFF) + cur[e + 2] / 16);
                int k = nearest(r, g, b);
                out[y * w + x] = (byte) k;
                int p = palette[k];
                diffuse(cur, next, e, 0, r - ((p >> 16) & 0xFF));
                diffuse(cur, next, e, 1, g - ((p >> 8) & 0xFF));
                diffuse(cur, next, e, 2, b - (p & 0xFF));
            }
            int[] t = cur;
            cur = next;
            next = t;
        }
        return out;
    }

    /** Error in sixteenths: 7 right, 3 down-left, 5 down, 1 down-right. */
    private static void diffuse(int[] cur, int[] next, int e, int c, int err) {
        err = Math.max(-MAX_ERROR, Math.min(MAX_ERROR, err));
        cur[e + 3 + c] += 7 * err;
        next[e - 3 + c] += 3 * err;
        next[e + c] += 5 * err;
        next[e + 3 + c] += err;
    }

    private int nearest(int r, int g, int b) {
        int cell = (r >> 2) << 12 | (g >> 2) << 6 | (b >> 2);
        int k = cache[cell];
        if (k < 0) {
            // search from the cell centre, so the cached answer does not depend on which pixel came first
            int cr = (r & ~3) + 2;
            int cg = (g & ~3) + 2;
            int cb = (b & ~3) + 2;
            int best = Integer.MAX_VALUE;
            for (int j = 0; j < palette.length; j++) {
                int p = palette[j];
                int dr = cr - ((p >> 16) & 0xFF);
                int dg = cg - ((p >> 8) & 0xFF);
                int db = cb - (p & 0xFF);
                int d = 2 * dr * dr + 4 * dg * dg + 3 * db * db;
                if (d < best) {
                    best = d;
                    k = j;
                }
            }
            cache[cell] = (short) k;
        }
        return k;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }
}
