package io.cogflow.training.data;

import java.util.Arrays;

/**
 * Estimates one frame's background as a plane per channel, {@code a + b·x + c·y}, and returns every pixel's RGB
 * distance from it. A plane is exact for the plain and linear-gradient backgrounds, and a fair local model for a
 * generated video's smoothly shaded ones.
 *
 * <p>Robust by iteration: the first fit uses only the frame border (the shape rarely touches it), later fits use
 * every pixel that the previous fit explained, so a shape covering the border or a third of the frame is ignored.
 */
final class BackgroundFit {
    private static final int ITERATIONS = 3;
    /** Inliers are pixels within max(this, 3 robust sigmas) of the fit. */
    private static final double MIN_INLIER_DISTANCE = 24;

    private BackgroundFit() {}

    /** Per-pixel distance from the fitted background of the frame at {@code offset} in (…, h, w, 3) bytes. */
    static double[] distances(byte[] rgb, int offset, int height, int width) {
        int n = height * width;
        boolean[] inlier = new boolean[n];
        int ring = Math.max(1, Math.min(height, width) / 32);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                inlier[y * width + x] = x < ring || y < ring || x >= width - ring || y >= height - ring;
            }
        }
        double[] dist = new double[n];
        for (int iter = 0; iter < ITERATIONS; iter++) {
            double[][] planes = fit(rgb, offset, height, width, inlier);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int p = y * width + x;
                    double sum = 0;
                    for (int c = 0; c < 3; c++) {
                        double pred = planes[c][0] + planes[c][1] * (x - width / 2.0) + planes[c][2] * (y - height / 2.0);
                        double d = (rgb[offset + p * 3 + c] & 0xFF) - pred;
                        sum += d * d;
                    }
                    dist[p] = Math.sqrt(sum);
                }
            }
            double limit = Math.max(MIN_INLIER_DISTANCE, 3 * robustSigma(dist));
            for (int p = 0; p < n; p++) {
                inlier[p] = dist[p] < limit;
            }
        }
        return dist;
    }

    /** 1.4826 · median: the standard deviation of the background noise if most pixels are background. */
    static double robustSigma(double[] dist) {
        double[] sorted = dist.clone();
        Arrays.sort(sorted);
        return 1.4826 * sorted[sorted.length / 2];
    }

    /** Least-squares plane per channel over the inliers, coordinates centred for conditioning. */
    private static double[][] fit(byte[] rgb, int offset, int height, int width, boolean[] inlier) {
        double[][] m = new double[3][3];
        double[][] rhs = new double[3][3];
        int count = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                if (!inlier[p]) {
                    continue;
                }
                count++;
                double[] f = {1, x - width / 2.0, y - height / 2.0};
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        m[i][j] += f[i] * f[j];
                    }
                    for (int c = 0; c < 3; c++) {
                        rhs[c][i] += f[i] * (rgb[offset + p * 3 + c] & 0xFF);
                    }
                }
            }
        }
        double[][] planes = new double[3][];
        for (int c = 0; c < 3; c++) {
            double[] solved = count >= 3 ? solve(m, rhs[c]) : null;
            planes[c] = solved != null ? solved : new double[] {count > 0 ? rhs[c][0] / count : 0, 0, 0};
        }
        return planes;
    }

    /** Cramer's rule for the 3 × 3 normal equations; null when (nearly) singular, e.g. inliers on one line. */
    private static double[] solve(double[][] a, double[] b) {
        double det = det(a[0][0], a[0][1], a[0][2], a[1][0], a[1][1], a[1][2], a[2][0], a[2][1], a[2][2]);
        if (Math.abs(det) < 1e-9 * Math.pow(a[0][0], 3)) {
            return null;
        }
        double[] x = new double[3];
        for (int k = 0; k < 3; k++) {
            double[][] t = {a[0].clone(), a[1].clone(), a[2].clone()};
            for (int r = 0; r < 3; r++) {
                t[r][k] = b[r];
            }
            x[k] = det(t[0][0], t[0][1], t[0][2], t[1][0], t[1][1], t[1][2], t[2][0], t[2][1], t[2][2]) / det;
        }
        return x;
    }

    private static double det(double a, double b, double c, double d, double e, double f, double g, double h, double i) {
        return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    }
}
