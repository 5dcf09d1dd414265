package io.cogflow.model.transformer;

/**
 * The CogVideoX-2B 3D sin-cos table added to the video tokens, computed for any grid as diffusers'
 * {@code get_3d_sincos_pos_embed} does: per token (t, y, x) the vector is [S(t) | S(x) | S(y)] with D/4, 3D/8
 * and 3D/8 dims. The width coordinate comes before the height one (a meshgrid quirk the released weights
 * learned). Positions are float32 like the reference; the sinusoids are evaluated in float64.
 */
public final class SinCosPositions {
    private SinCosPositions() {
    }

    /** Row-major [tokens, D] table in the grid's (t, y, x) token order. */
    public static float[] table(TransformerConfig c, LatentGrid grid) {
        int d = c.innerDim();
        int dimT = d / 4;
        int dimS = 3 * d / 4;
        int half = dimS / 2;
        float spatialScale = (float) c.spatialInterpolationScale();
        float temporalScale = (float) c.temporalInterpolationScale();
        double[] omegaT = omegas(dimT);
        double[] omegaS = omegas(half);
        float[] out = new float[grid.tokens() * d];
        int row = 0;
        for (int t = 0; t < grid.frames(); t++) {
            float pt = (float) t / temporalScale;
            for (int y = 0; y < grid.rows(); y++) {
                float py = (float) y / spatialScale;
                for (int x = 0; x < grid.cols(); x++) {
                    float px = (float) x / spatialScale;
                    int base = row * d;
                    sinusoid(out, base, pt, omegaT);
                    sinusoid(out, base + dimT, px, omegaS);
                    sinusoid(out, base + dimT + half, py, omegaS);
                    row++;
                }
            }
        }
        return out;
    }

    /** ω_k = 10000^(−k / (dim/2)) for k < dim/2. */
    private static double[] omegas(int dim) {
        int n = dim / 2;
        double[] w = new double[n];
        for (int k = 0; k < n; k++) {
            w[k] = 1.0 / Math.pow(10000.0, k / (dim / 2.0));
        }
        return w;
    }

    /** Writes [sin(p·ω) | cos(p·ω)] (2·|ω| values) at {@code offset}. */
    private static void sinusoid(float[] out, int offset, float position, double[] omega) {
        int n = omega.length;
        for (int k = 0; k < n; k++) {
            double a = position * omega[k];
            out[offset + k] = (float) Math.sin(a);
            out[offset + n + k] = (float) Math.cos(a);
        }
    }
}
