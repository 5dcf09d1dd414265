package io.cogflow.model.video;

import io.cogflow.model.video.VideoFrames;

import java.util.SplittableRandom;

/**
 * Deterministic stand-in for a generated video: a drifting two-colour gradient, three moving discs, a rotating
 * bar and mild seeded grain — motion and texture for the encoders to work on, unlike a constant colour.
 */
public final class SyntheticVideo {
    private SyntheticVideo() {
    }

    public static VideoFrames frames(int frames, int height, int width, long seed) {
        byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(frames, height), width * 3)];
        SplittableRandom grain = new SplittableRandom(seed);
        double[][] discs = {{0.25, 0.3, 0.12, 230, 60, 40}, {0.7, 0.6, 0.18, 40, 180, 90}, {0.5, 0.8, 0.09, 250,
                220, 60}};
        int i = 0;
        for (int f = 0; f < frames; f++) {
            double t = frames == 1 ? 0 : (double) f / (frames - 1);
            double angle = Math.PI * t;
            double ca = Math.cos(angle);
            double sa = Math.sin(angle);
            for (int y = 0; y < height; y++) {
                double v = (double) y / height;
                for (int x = 0; x < width; x++) {
                    double u = (double) x / width;
                    double g = 0.5 + 0.5 * Math.sin(2 * Math.PI * (u * 0.8 + v * 0.5 + t * 0.6));
                    double r = 30 + 150 * g;
                    double gr = 60 + 100 * (1 - g) * v;
                    double b = 90 + 140 * (1 - u) * (0.5 + 0.5 * g);
                    for (double[] d : discs) {
                        double cx = d[0] + 0.15 * Math.sin(2 * Math.PI * t + d[2] * 20);
                        double cy = d[1] + 0.1 * Math.cos(2 * Math.PI * t + d[2] * 13);
                        double dx = (u - cx) * width / height;
                        double dy = v - cy;
                        double dist = Math.sqrt(dx * dx + dy * dy);
                        // one-pixel soft edge, as rendered (not aliased) content has
                        double a = Math.max(0, Math.min(1, (d[2] - dist) * height + 0.5));
                        r += a * (d[3] - r);
                        gr += a * (d[4] - gr);
                        b += a * (d[5] - b);
                    }
                    double bx = (u - 0.5) * width / height;
                    double by = v - 0.5;
                    double along = bx * ca + by * sa;
                    double across = -bx * sa + by * ca;
                    if (Math.abs(along) < 0.3 && Math.abs(across) < 0.02) {
                        r = 245;
                        gr = 245;
                        b = 245;
                    }
                    int n = grain.nextInt(-3, 4);
                    rgb[i++] = clamp(r + n);
                    rgb[i++] = clamp(gr + n);
                    rgb[i++] = clamp(b + n);
                }
            }
        }
        return new VideoFrames(frames, height, width, rgb);
    }

    private static byte clamp(double v) {
        return (byte) Math.max(0, Math.min(255, Math.round(v)));
    }
}
