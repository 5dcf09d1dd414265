package io.cogflow.model.video;

import io.cogflow.model.video.VideoFrames;

/** Peak signal-to-noise ratio over all RGB samples of two videos of the same shape (peak 255). */
public final class Psnr {
    private Psnr() {
    }

    public static double db(VideoFrames a, VideoFrames b) {
        if (a.frames() != b.frames() || a.height() != b.height() || a.width() != b.width()) {
            throw new IllegalArgumentException("shapes differ: " + a.frames() + "×" + a.height() + "×" + a.width()
                    + " vs " + b.frames() + "×" + b.height() + "×" + b.width());
        }
        byte[] x = a.rgb();
        byte[] y = b.rgb();
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            int d = (x[i] & 0xFF) - (y[i] & 0xFF);
            sum += d * d;
        }
        double mse = sum / x.length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
