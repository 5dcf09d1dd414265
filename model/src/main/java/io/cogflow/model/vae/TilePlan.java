package io.cogflow.model.vae;

import io.cogflow.model.tensor.HostTensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the tiles of a tiled encode or decode lie and how their outputs are blended, with diffusers'
 * arithmetic: tiles start every {@code stride} input rows/columns, and each output tile is linearly blended
 * over {@code blend} rows/columns with its upper and left neighbours, then cropped to {@code limit}.
 */
final class TilePlan {
    final int tileInHeight;
    final int tileInWidth;
    final List<Integer> rowStarts = new ArrayList<>();
    final List<Integer> columnStarts = new ArrayList<>();
    final int blendHeight;
    final int blendWidth;
    final int limitHeight;
    final int limitWidth;

    private TilePlan(int height, int width, int tileInHeight, int tileInWidth, int strideHeight, int strideWidth,
                     int blendHeight, int blendWidth, int limitHeight, int limitWidth) {
        if (strideHeight <= 0 || strideWidth <= 0) {
            throw new IllegalArgumentException("tiles too small for their overlap: stride " + strideHeight + "×"
                    + strideWidth);
        }
        this.tileInHeight = tileInHeight;
        this.tileInWidth = tileInWidth;
        for (int i = 0; i < height; i += strideHeight) {
            rowStarts.add(i);
        }
        for (int j = 0; j < width; j += strideWidth) {
            columnStarts.add(j);
        }
        this.blendHeight = blendHeight;
        this.blendWidth = blendWidth;
        this.limitHeight = limitHeight;
        this.limitWidth = limitWidth;
    }

    /** Decoding latents h×w: tiles of tileSample/scale latents; blend and crop in pixels. */
    static TilePlan forDecode(VaeTiling t, int scale, int h, int w) {
        int tileH = (int) ((double) t.tileSampleHeight() / scale);
        int tileW = (int) ((double) t.tileSampleWidth() / scale);
        int strideH = (int) (tileH * (1 - t.overlapHeight()));
        int strideW = (int) (tileW * (1 - t.overlapWidth()));
        int blendH = (int) (t.tileSampleHeight() * t.overlapHeight());
        int blendW = (int) (t.tileSampleWidth() * t.overlapWidth());
        int limitH = t.tileSampleHeight() - blendH;
        int limitW = t.tileSampleWidth() - blendW;
        requireConsistent(strideH * scale, limitH, strideW * scale, limitW, t);
        return new TilePlan(h, w, tileH, tileW, strideH, strideW, blendH, blendW, limitH, limitW);
    }

    /** Encoding frames H×W: tiles of tileSample pixels; blend and crop in latents. */
    static TilePlan forEncode(VaeTiling t, int scale, int h, int w) {
        int tileLatentH = (int) ((double) t.tileSampleHeight() / scale);
        int tileLatentW = (int) ((double) t.tileSampleWidth() / scale);
        int strideH = (int) (t.tileSampleHeight() * (1 - t.overlapHeight()));
        int strideW = (int) (t.tileSampleWidth() * (1 - t.overlapWidth()));
        int blendH = (int) (tileLatentH * t.overlapHeight());
        int blendW = (int) (tileLatentW * t.overlapWidth());
        int limitH = tileLatentH - blendH;
        int limitW = tileLatentW - blendW;
        requireConsistent(strideH, limitH * scale, strideW, limitW * scale, t);
        return new TilePlan(h, w, t.tileSampleHeight(), t.tileSampleWidth(), strideH, strideW, blendH, blendW,
                limitH, limitW);
    }

    /**
     * The reference crops each tile to {@code limit} but advances by {@code stride}; when the two disagree (only
     * for tile sizes whose fractions truncate differently) its output is not the input's size. Refuse those.
     */
    private static void requireConsistent(int strideHPx, int limitHPx, int strideWPx, int limitWPx, VaeTiling t) {
        if (strideHPx != limitHPx || strideWPx != limitWPx) {
            throw new IllegalArgumentException("tiling " + t + " is inconsistent: tiles advance " + strideHPx + "×"
                    + strideWPx + " px but keep " + limitHPx + "×" + limitWPx
                    + " px; choose tile sizes and overlaps whose fractions are whole numbers");
        }
    }

    /**
     * Blends each tile output with its upper and left neighbours in place, in the reference's order (so a tile's
     * already-blended neighbours feed later blends), crops, and joins them into one video.
     */
    HostTensor assemble(HostTensor[][] tiles) {
        List<HostTensor> rows = new ArrayList<>();
        for (int i = 0; i < tiles.length; i++) {
            List<HostTensor> row = new ArrayList<>();
            for (int j = 0; j < tiles[i].length; j++) {
                HostTensor tile = tiles[i][j];
                if (i > 0) {
                    blend(tiles[i - 1][j], tile, 3, blendHeight);
                }
                if (j > 0) {
                    blend(tiles[i][j - 1], tile, 4, blendWidth);
                }
                HostTensor cropped = VideoTensors.slice(tile, 3, 0, (int) Math.min(limitHeight, tile.shape()[3]));
                row.add(VideoTensors.slice(cropped, 4, 0, (int) Math.min(limitWidth, cropped.shape()[4])));
            }
            rows.add(VideoTensors.concat(row, 4));
        }
        return VideoTensors.concat(rows, 3);
    }

    /** b[.., k, ..] = a[.., end − e + k, ..]·(1 − k/e) + b[.., k, ..]·(k/e) for k < e along an axis (3 or 4). */
    static void blend(HostTensor a, HostTensor b, int axis, int extent) {
        long[] sa = a.shape();
        long[] sb = b.shape();
        int e = (int) Math.min(Math.min(sa[axis], sb[axis]), extent);
        int outer = (int) (sb[0] * sb[1] * sb[2]);
        int ha = (int) sa[3];
        int wa = (int) sa[4];
        int hb = (int) sb[3];
        int wb = (int) sb[4];
        float[] da = a.data();
        float[] db = b.data();
        for (int k = 0; k < e; k++) {
            float keep = (float) (1 - (double) k / e);
            float take = (float) ((double) k / e);
            for (int o = 0; o < outer; o++) {
                if (axis == 3) {
                    int ra = (o * ha + ha - e + k) * wa;
                    int rb = (o * hb + k) * wb;
                    int n = Math.min(wa, wb);
                    for (int x = 0; x < n; x++) {
                        db[rb + x] = da[ra + x] * keep + db[rb + x] * take;
                    }
                } else {
                    int n = Math.min(ha, hb);
                    for (int y = 0; y < n; y++) {
                        int ia = (o * ha + y) * wa + wa - e + k;
                        int ib = (o * hb + y) * wb + k;
                        db[ib] = da[ia] * keep + db[ib] * take;
                    }
                }
            }
        }
    }
}
