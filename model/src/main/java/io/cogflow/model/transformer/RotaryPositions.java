package io.cogflow.model.transformer;

/**
 * 3D rotary tables for the RoPE families, computed for any grid as the diffusers CogVideoX pipelines do:
 * head_dim splits into t / y / x parts of D/4, 3D/8, 3D/8 dims, each pair of dims shares one angle
 * (cos and sin repeated interleaved), frequencies and angles in float32 like the reference.
 *
 * @param cos row-major [tokens, head_dim] in (t, y, x) token order
 * @param sin same layout as {@code cos}
 */
public record RotaryPositions(float[] cos, float[] sin, int tokens, int headDim) {

    public static RotaryPositions of(TransformerConfig c, LatentGrid grid) {
        float[] t;
        float[] y;
        float[] x;
        if (c.positionEncoding() == PositionEncoding.ROPE_SLICE) {
            // integer positions; the reference slices a table capped at sample size / patch, and extends
            // the same way (extrapolation) beyond it
            t = arange(grid.frames());
            y = arange(grid.rows());
            x = arange(grid.cols());
        } else if (c.positionEncoding() == PositionEncoding.ROPE_LINSPACE) {
            int baseRows = c.sampleHeight() / c.patchSize();
            int baseCols = c.sampleWidth() / c.patchSize();
            CropRegion crop = resizeCropRegion(grid.rows(), grid.cols(), baseCols, baseRows);
            y = linspace(crop.top(), crop.bottom() * (grid.rows() - 1) / (double) grid.rows(), grid.rows());
            x = linspace(crop.left(), crop.right() * (grid.cols() - 1) / (double) grid.cols(), grid.cols());
            int n = grid.frames();
            t = linspace(0, n * (n - 1) / (double) n, n);
        } else {
            throw new IllegalArgumentException("config uses sin-cos positions, not RoPE");
        }
        int hd = c.attentionHeadDim();
        int dimT = hd / 4;
        int dimY = hd / 8 * 3;
        int dimX = hd / 8 * 3;
        float[] freqT = frequencies(dimT);
        float[] freqY = frequencies(dimY);
        float[] freqX = frequencies(dimX);
        int tokens = grid.tokens();
        float[] cos = new float[tokens * hd];
        float[] sin = new float[tokens * hd];
        int row = 0;
        for (int ti = 0; ti < grid.frames(); ti++) {
            for (int yi = 0; yi < grid.rows(); yi++) {
                for (int xi = 0; xi < grid.cols(); xi++) {
                    int base = row * hd;
                    fill(cos, sin, base, t[ti], freqT);
                    fill(cos, sin, base + dimT, y[yi], freqY);
                    fill(cos, sin, base + dimT + dimY, x[xi], freqX);
                    row++;
                }
            }
        }
        return new RotaryPositions(cos, sin, tokens, hd);
    }

    /** θ_k = 1 / 10000^(2k/dim), k < dim/2, in float32. */
    private static float[] frequencies(int dim) {
        float[] f = new float[dim / 2];
        for (int k = 0; k < f.length; k++) {
            float exponent = (float) (2 * k) / (float) dim;
            f[k] = 1.0f / (float) Math.pow(10000.0, exponent);
        }
        return f;
    }

    private static void fill(float[] cos, float[] sin, int offset, float position, float[] freq) {
        for (int k = 0; k < freq.length; k++) {
            float angle = position * freq[k];
            float c = (float) Math.cos(angle);
            float s = (float) Math.sin(angle);
            cos[offset + 2 * k] = c;
            cos[offset + 2 * k + 1] = c;
            sin[offset + 2 * k] = s;
            sin[offset + 2 * k + 1] = s;
        }
    }

    private static float[] arange(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** torch.linspace in float32: the first half steps up from start, the second half down from end. */
    static float[] linspace(double start, double end, int steps) {
        float[] a = new float[steps];
        if (steps == 1) {
            a[0] = (float) start;
            return a;
        }
        float s = (float) start;
        float e = (float) end;
        float step = (e - s) / (steps - 1);
        int halfway = steps / 2;
        for (int i = 0; i < steps; i++) {
            a[i] = i < halfway ? s + step * i : e - step * (steps - i - 1);
        }
        return a;
    }

    /** Where the token grid sits in the training grid, in training-grid rows and columns (bottom, right exclusive). */
    record CropRegion(int top, int left, int bottom, int right) {
    }

    /**
     * The pipeline's {@code get_resize_crop_region_for_grid}: fit the token grid into the training grid
     * (baseRows × baseCols) keeping its aspect, centred. Python rounds half to even; so does {@link Math#rint}.
     */
    static CropRegion resizeCropRegion(int rows, int cols, int baseCols, int baseRows) {
        double r = (double) rows / cols;
        int resizeRows;
        int resizeCols;
        if (r > (double) baseRows / baseCols) {
            resizeRows = baseRows;
            resizeCols = (int) Math.rint((double) baseRows / rows * cols);
        } else {
            resizeCols = baseCols;
            resizeRows = (int) Math.rint((double) baseCols / cols * rows);
        }
        int top = (int) Math.rint((baseRows - resizeRows) / 2.0);
        int left = (int) Math.rint((baseCols - resizeCols) / 2.0);
        return new CropRegion(top, left, top + resizeRows, left + resizeCols);
    }
}
