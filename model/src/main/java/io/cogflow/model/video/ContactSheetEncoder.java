package io.cogflow.model.video;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * One PNG with evenly sampled frames in a grid (first and last frame always included), separated and framed by a
 * thin dark line; tiles are box-filtered down by a whole factor to at most {@link Layout#maxTileWidth} wide.
 * Deterministic: the same frames give the same bytes.
 */
final class ContactSheetEncoder implements VideoEncoder {

    /** Grid shape: up to maxColumns × ⌈maxTiles / maxColumns⌉ tiles, separator pixels between and around. */
    record Layout(int maxColumns, int maxTiles, int maxTileWidth, int separator, int separatorRgb) {
        static final Layout DEFAULT = new Layout(4, 16, 360, 2, 0x202020);
    }

    private final Layout layout;

    ContactSheetEncoder(Layout layout) {
        this.layout = layout;
    }

    @Override
    public VideoFormat format() {
        return VideoFormat.PNG_SHEET;
    }

    /** The frames a sheet shows: n evenly spaced indices from 0 to frames − 1. */
    static int[] sampledFrames(int frames, int maxTiles) {
        int n = Math.min(frames, maxTiles);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = n == 1 ? 0 : (int) Math.round((double) i * (frames - 1) / (n - 1));
        }
        return idx;
    }

    /** The fps does not show in a still image; it is checked only so every format rejects the same arguments. */
    @Override
    public byte[] encode(VideoFrames v, int fps) {
        Fps.check(fps);
        int[] idx = sampledFrames(v.frames(), layout.maxTiles());
        int cols = Math.min(layout.maxColumns(), idx.length);
        int rows = (idx.length + cols - 1) / cols;
        int k = Math.max(1, (v.width() + layout.maxTileWidth() - 1) / layout.maxTileWidth());
        int tw = Math.max(1, v.width() / k);
        int th = Math.max(1, v.height() / k);
        int s = layout.separator();
        int sheetW = cols * tw + (cols + 1) * s;
        int sheetH = rows * th + (rows + 1) * s;
        BufferedImage img = new BufferedImage(sheetW, sheetH, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        java.util.Arrays.fill(px, layout.separatorRgb());
        for (int t = 0; t < idx.length; t++) {
            int x0 = s + (t % cols) * (tw + s);
            int y0 = s + (t / cols) * (th + s);
            tile(v, idx[t], k, tw, th, px, sheetW, x0, y0);
        }
        return Png.encode(img);
    }

    /** Box filter: each tile pixel is the rounded mean of a k×k block (trailing rows/columns beyond k·tw dropped). */
    private static void tile(VideoFrames v, int f, int k, int tw, int th, int[] px, int stride, int x0, int y0) {
        byte[] rgb = v.rgb();
        int base = v.frameOffset(f);
        int n = k * k;
        for (int ty = 0; ty < th; ty++) {
            for (int tx = 0; tx < tw; tx++) {
                int r = 0;
                int g = 0;
                int b = 0;
                for (int dy = 0; dy < k; dy++) {
                    int i = base + ((ty * k + dy) * v.width() + tx * k) * 3;
                    for (int dx = 0; dx < k; dx++, i += 3) {
                        r += rgb[i] & 0xFF;
                        g += rgb[i + 1] & 0xFF;
                        b += rgb[i + 2] & 0xFF;
                    }
                }
                px[(y0 + ty) * stride + x0 + tx] = (r + n / 2) / n << 16 | (g + n / 2) / n << 8 | (b + n / 2) / n;
            }
        }
    }
}
