package io.cogflow.training.data;

/**
 * Draws a {@link ClipSpec} into pixels. Deterministic from the spec alone: the same spec gives bit-identical
 * output on every JVM (SplitMix64 seeding; Java 17 double arithmetic is strict IEEE).
 *
 * <p>Edges are anti-aliased by 3 × 3 supersampling, because hard stair-step edges are high-frequency content the
 * VAE would spend capacity on and the generated videos will not have.
 */
public final class ClipRenderer {
    private static final int SUPERSAMPLE = 3;

    private final int frames;
    private final int height;
    private final int width;

    public ClipRenderer(int frames, int height, int width) {
        if (frames < 2) {
            throw new IllegalArgumentException("need at least 2 frames to show motion, got " + frames);
        }
        if (height < 32 || width < 32) {
            throw new IllegalArgumentException("frames must be at least 32 × 32, got " + height + " × " + width);
        }
        this.frames = frames;
        this.height = height;
        this.width = width;
    }

    /** (frames, 3, height, width) in [-1, 1] — the VAE's input range — frame-major. Same pixels as {@link #renderRgb}. */
    public float[] render(ClipSpec spec) {
        byte[] rgb = renderRgb(spec);
        int plane = height * width;
        float[] out = new float[frames * 3 * plane];
        for (int f = 0; f < frames; f++) {
            for (int p = 0; p < plane; p++) {
                int src = (f * plane + p) * 3;
                for (int c = 0; c < 3; c++) {
                    out[(f * 3 + c) * plane + p] = (rgb[src + c] & 0xFF) / 127.5f - 1f;
                }
            }
        }
        return out;
    }

    /** (frames, height, width, 3) bytes 0..255, interleaved RGB. */
    public byte[] renderRgb(ClipSpec spec) {
        ClipLayout layout = ClipLayout.of(spec, height, width);
        double[] background = backgroundImage(spec.background(), layout);
        int[] fg = spec.colour().rgb();
        byte[] out = new byte[frames * height * width * 3];
        double samples = SUPERSAMPLE * SUPERSAMPLE;
        for (int f = 0; f < frames; f++) {
            double[] pos = layout.at(f / (double) (frames - 1));
            double cx = pos[0], cy = pos[1], s = pos[2];
            int base = f * height * width * 3;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double coverage = 0;
                    // only pixels near the shape's box can be covered
                    if (x + 1 >= cx - s && x <= cx + s && y + 1 >= cy - s && y <= cy + s) {
                        int hits = 0;
                        for (int sy = 0; sy < SUPERSAMPLE; sy++) {
                            for (int sx = 0; sx < SUPERSAMPLE; sx++) {
                                double px = x + (sx + 0.5) / SUPERSAMPLE;
                                double py = y + (sy + 0.5) / SUPERSAMPLE;
                                if (spec.shape().contains((px - cx) / s, (py - cy) / s)) {
                                    hits++;
                                }
                            }
                        }
                        coverage = hits / samples;
                    }
                    int i = (y * width + x) * 3;
                    for (int c = 0; c < 3; c++) {
                        double v = background[i + c] * (1 - coverage) + fg[c] * coverage;
                        out[base + i + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                    }
                }
            }
        }
        return out;
    }

    /** One static (height, width, 3) background; the background never moves, only the shape does. */
    private double[] backgroundImage(Background kind, ClipLayout layout) {
        double[] img = new double[height * width * 3];
        double cos = Math.cos(layout.gradientAngle()), sin = Math.sin(layout.gradientAngle());
        // projection range of the frame onto the gradient direction, so the ramp spans the whole frame
        double reach = Math.abs(cos) * width / 2.0 + Math.abs(sin) * height / 2.0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                for (int c = 0; c < 3; c++) {
                    img[i + c] = switch (kind) {
                        case BLACK -> 0;
                        case WHITE -> 255;
                        case GRAY -> 128;
                        case GRADIENT -> {
                            double t = ((x + 0.5 - width / 2.0) * cos + (y + 0.5 - height / 2.0) * sin) / reach;
                            t = (t + 1) / 2;
                            yield layout.gradientFrom()[c] + (layout.gradientTo()[c] - layout.gradientFrom()[c]) * t;
                        }
                    };
                }
            }
        }
        return img;
    }

    public int frames() {
        return frames;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }
}
