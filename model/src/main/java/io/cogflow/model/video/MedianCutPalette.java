package io.cogflow.model.video;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One palette for a whole video by median cut over a deterministic sample of its pixels: one palette (not one per
 * frame) keeps colours from flickering between frames, and a sample of ~250k pixels is enough to place 256
 * colours.
 */
final class MedianCutPalette {
    private static final int SAMPLES = 250_000;

    private MedianCutPalette() {
    }

    /** Up to {@code size} colours as packed 0xRRGGBB. */
    static int[] build(VideoFrames v, int size) {
        int pixels = v.frames() * v.height() * v.width();
        int stride = Math.max(1, pixels / SAMPLES);
        int[] sample = new int[(pixels + stride - 1) / stride];
        byte[] rgb = v.rgb();
        for (int i = 0, p = 0; i < sample.length; i++, p += stride) {
            int o = p * 3;
            sample[i] = (rgb[o] & 0xFF) << 16 | (rgb[o + 1] & 0xFF) << 8 | (rgb[o + 2] & 0xFF);
        }
        List<int[]> boxes = new ArrayList<>();
        boxes.add(new int[]{0, sample.length});
        while (boxes.size() < size) {
            int best = -1;
            int bestRange = 0;
            for (int b = 0; b < boxes.size(); b++) {
                int[] box = boxes.get(b);
                int r = box[1] - box[0] > 1 ? widest(sample, box)[1] : 0;
                if (r > bestRange) {
                    bestRange = r;
                    best = b;
                }
            }
            if (best < 0) {
                break; // every box is a single colour: fewer distinct colours than palette slots
            }
            int[] box = boxes.get(best);
            int shift = widest(sample, box)[0];
            sortByChannel(sample, box[0], box[1], shift);
            int mid = (box[0] + box[1]) >>> 1;
            boxes.set(best, new int[]{box[0], mid});
            boxes.add(new int[]{mid, box[1]});
        }
        int[] palette = new int[boxes.size()];
        for (int b = 0; b < palette.length; b++) {
            palette[b] = mean(sample, boxes.get(b));
        }
        return palette;
    }

    /** {bit shift of the channel with the largest range, that range}. */
    private static int[] widest(int[] s, int[] box) {
        int bestShift = 16;
        int bestRange = -1;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int lo = 255;
            int hi = 0;
            for (int i = box[0]; i < box[1]; i++) {
                int c = (s[i] >> shift) & 0xFF;
                lo = Math.min(lo, c);
                hi = Math.max(hi, c);
            }
            if (hi - lo > bestRange) {
                bestRange = hi - lo;
                bestShift = shift;
            }
        }
        return new int[]{bestShift, bestRange};
    }

    private static void sortByChannel(int[] s, int from, int to, int shift) {
        // key the channel into the high bits so a plain int sort orders by it, with the colour as tie-break
        long[] keyed = new long[to - from];
        for (int i = from; i < to; i++) {
            keyed[i - from] = (long) ((s[i] >> shift) & 0xFF) << 32 | s[i];
        }
        Arrays.sort(keyed);
        for (int i = from; i < to; i++) {
            s[i] = (int) keyed[i - from];
        }
    }

    private static int mean(int[] s, int[] box) {
        long r = 0;
        long g = 0;
        long b = 0;
        int n = box[1] - box[0];
        for (int i = box[0]; i < box[1]; i++) {
            r += (s[i] >> 16) & 0xFF;
            g += (s[i] >> 8) & 0xFF;
            b += s[i] & 0xFF;
        }
        return (int) ((r + n / 2) / n) << 16 | (int) ((g + n / 2) / n) << 8 | (int) ((b + n / 2) / n);
    }
}
