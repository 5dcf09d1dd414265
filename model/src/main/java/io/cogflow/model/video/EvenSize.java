package io.cogflow.model.video;

/**
 * H.264 with 4:2:0 chroma needs an even width and height. An odd dimension is padded by one pixel that repeats
 * the last column or row (not cropped, so no generated pixel is lost; not black, so a player that ignores the
 * size shows no line). The encoded video is then one pixel wider or taller than the input.
 */
final class EvenSize {
    private EvenSize() {
    }

    static VideoFrames pad(VideoFrames v) {
        int h = v.height() + (v.height() & 1);
        int w = v.width() + (v.width() & 1);
        if (h == v.height() && w == v.width()) {
            return v;
        }
        byte[] src = v.rgb();
        byte[] dst = new byte[v.frames() * h * w * 3];
        int srcRow = v.width() * 3;
        int dstRow = w * 3;
        for (int f = 0; f < v.frames(); f++) {
            int sf = v.frameOffset(f);
            int df = f * h * dstRow;
            for (int y = 0; y < h; y++) {
                int sy = Math.min(y, v.height() - 1);
                int s = sf + sy * srcRow;
                int d = df + y * dstRow;
                System.arraycopy(src, s, dst, d, srcRow);
                if (w != v.width()) {
                    System.arraycopy(src, s + srcRow - 3, dst, d + srcRow, 3);
                }
            }
        }
        return new VideoFrames(v.frames(), h, w, dst);
    }
}
