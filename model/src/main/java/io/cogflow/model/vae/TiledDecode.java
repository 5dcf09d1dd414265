package io.cogflow.model.vae;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code tiled_decode} as one graph: the latents (B, C, T, h, w) are cut into the {@link TilePlan}'s
 * overlapping tiles, each tile is decoded in time chunks on its own carried frames, and the tile outputs are
 * blended linearly with their upper and left neighbours (already blended, the reference's order), cropped and
 * joined. Control edges run the tiles one after another, so only one tile chunk's activations are alive at a time;
 * the tile outputs themselves (a few hundred MB for a 480×720×49 video) are kept until they are blended.
 */
final class TiledDecode {
    private TiledDecode() {
    }

    /** @return the decoded video (B, out, T', H, W) */
    static Operand<TFloat32> build(Ops tf, Operand<TFloat32> latents, TilePlan plan, UnrolledChunks.Chunk chunk) {
        int h = (int) latents.shape().size(3);
        int w = (int) latents.shape().size(4);
        int rows = plan.rowStarts.size();
        int cols = plan.columnStarts.size();
        List<List<Operand<TFloat32>>> tiles = new ArrayList<>();
        Op previous = null;
        for (int i = 0; i < rows; i++) {
            List<Operand<TFloat32>> row = new ArrayList<>();
            for (int j = 0; j < cols; j++) {
                int top = plan.rowStarts.get(i);
                int left = plan.columnStarts.get(j);
                int th = Math.min(plan.tileInHeight, h - top);
                int tw = Math.min(plan.tileInWidth, w - left);
                Ops scope = tf.withSubScope("tile_" + i + "_" + j);
                Operand<TFloat32> tile = scope.slice(latents, scope.constant(new int[]{0, 0, 0, top, left}),
                        scope.constant(new int[]{-1, -1, -1, th, tw}));
                Operand<TFloat32> out = UnrolledChunks.build(scope, tile, FrameChunks.LATENT_FRAMES, "chunk_", true,
                        previous, chunk);
                previous = (Op) out;
                row.add(out);
            }
            tiles.add(row);
        }
        Ops blendScope = tf.withSubScope("blend");
        List<Operand<TFloat32>> joinedRows = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            List<Operand<TFloat32>> kept = new ArrayList<>();
            for (int j = 0; j < cols; j++) {
                Operand<TFloat32> tile = tiles.get(i).get(j);
                if (i > 0) {
                    tile = blend(blendScope, tiles.get(i - 1).get(j), tile, 3, plan.blendHeight);
                }
                if (j > 0) {
                    tile = blend(blendScope, tiles.get(i).get(j - 1), tile, 4, plan.blendWidth);
                }
                tiles.get(i).set(j, tile);
                kept.add(crop(blendScope, tile, plan.limitHeight, plan.limitWidth));
            }
            joinedRows.add(kept.size() == 1 ? kept.get(0) : blendScope.concat(kept, blendScope.constant(4)));
        }
        return joinedRows.size() == 1 ? joinedRows.get(0) : blendScope.concat(joinedRows, blendScope.constant(3));
    }

    /**
     * {@code blend_v} / {@code blend_h}: b[.., k, ..] = a[.., end − e + k, ..]·(1 − k/e) + b[.., k, ..]·(k/e) for
     * k < e = min(a's, b's extent along the axis, {@code extent}); the rest of b unchanged.
     */
    static Operand<TFloat32> blend(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b, int axis, int extent) {
        int na = (int) a.shape().size(axis);
        int nb = (int) b.shape().size(axis);
        int e = Math.min(Math.min(na, nb), extent);
        if (e <= 0) {
            return b;
        }
        float[] take = new float[e];
        float[] keep = new float[e];
        for (int k = 0; k < e; k++) {
            take[k] = (float) ((double) k / e);
            keep[k] = (float) (1 - (double) k / e);
        }
        // weights along the axis, broadcast over the axes after it (W when blending rows)
        long[] weightShape = axis == 3 ? new long[]{e, 1} : new long[]{e};
        Operand<TFloat32> wKeep = tf.reshape(tf.constant(keep), tf.constant(weightShape));
        Operand<TFloat32> wTake = tf.reshape(tf.constant(take), tf.constant(weightShape));
        Operand<TFloat32> aTail = along(tf, a, axis, na - e, e);
        Operand<TFloat32> bHead = along(tf, b, axis, 0, e);
        Operand<TFloat32> mixed = tf.math.add(tf.math.mul(aTail, wKeep), tf.math.mul(bHead, wTake));
        if (e == nb) {
            return mixed;
        }
        return tf.concat(List.of(mixed, along(tf, b, axis, e, nb - e)), tf.constant(axis));
    }

    private static Operand<TFloat32> crop(Ops tf, Operand<TFloat32> x, int limitHeight, int limitWidth) {
        int h = (int) Math.min(limitHeight, x.shape().size(3));
        int w = (int) Math.min(limitWidth, x.shape().size(4));
        if (h == x.shape().size(3) && w == x.shape().size(4)) {
            return x;
        }
        return tf.slice(x, tf.constant(new int[]{0, 0, 0, 0, 0}), tf.constant(new int[]{-1, -1, -1, h, w}));
    }

    /** x[.., from : from + length, ..] along a spatial axis (3 or 4) of (B, C, T, H, W). */
    private static Operand<TFloat32> along(Ops tf, Operand<TFloat32> x, int axis, int from, int length) {
        int[] begin = {0, 0, 0, 0, 0};
        int[] size = {-1, -1, -1, -1, -1};
        begin[axis] = from;
        size[axis] = length;
        return tf.slice(x, tf.constant(begin), tf.constant(size));
    }
}
