package io.cogflow.model.video;

/**
 * RGB → Y'CbCr 4:2:0, BT.601 limited range (Y 16..235, C 16..240): what H.264 decoders assume when the stream
 * carries no colour description, so players show the colours that went in. Chroma is the 2×2 average.
 */
final class Yuv420 {
    final int width;
    final int height;
    final byte[] y;
    final byte[] cb;
    final byte[] cr;

    /** Planes for even width and height, refilled by {@link #convert}. */
    Yuv420(int height, int width) {
        if ((width & 1) != 0 || (height & 1) != 0) {
            throw new IllegalArgumentException("4:2:0 needs even sizes, got " + height + "×" + width);
        }
        this.width = width;
        this.height = height;
        this.y = new byte[width * height];
        this.cb = new byte[width * height / 4];
        this.cr = new byte[width * height / 4];
    }

    /** Converts frame f of v (which must have this size). */
    void convert(VideoFrames v, int f) {
        byte[] rgb = v.rgb();
        int base = v.frameOffset(f);
        int cw = width / 2;
        for (int cy = 0; cy < height / 2; cy++) {
            for (int cx = 0; cx < cw; cx++) {
                int rs = 0;
                int gs = 0;
                int bs = 0;
                for (int dy = 0; dy < 2; dy++) {
                    int py = cy * 2 + dy;
                    for (int dx = 0; dx < 2; dx++) {
                        int px = cx * 2 + dx;
                        int i = base + (py * width + px) * 3;
                        int r = rgb[i] & 0xFF;
                        int g = rgb[i + 1] & 0xFF;
                        int b = rgb[i + 2] & 0xFF;
                        y[py * width + px] = (byte) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
                        rs += r;
                        gs += g;
                        bs += b;
                    }
                }
                // sums of four pixels: >> 10 is the average and the /256 of the coefficients
                cb[cy * cw + cx] = (byte) (((-38 * rs - 74 * gs + 112 * bs + 512) >> 10) + 128);
                cr[cy * cw + cx] = (byte) (((112 * rs - 94 * gs - 18 * bs + 512) >> 10) + 128);
            }
        }
    }
}
