package io.cogflow.model.t5;

import io.cogflow.model.checkpoint.ParameterSpec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A plain double-precision T5 encoder written straight from the transformers module definitions, with loops
 * instead of a graph, on weights in PyTorch layout; the reference the TensorFlow graph is tested against for
 * configs the golden files do not cover.
 */
final class NaiveT5 {
    private final T5Config c;
    final Map<String, float[]> torchWeights = new LinkedHashMap<>();

    /** The reference on a checkpoint's weights. */
    NaiveT5(T5Config c, io.cogflow.model.checkpoint.Checkpoint ckpt) {
        this.c = c;
        for (ParameterSpec s : T5Parameters.specs(c)) {
            torchWeights.put(s.name(), ckpt.readFloats(s.name()));
        }
    }

    NaiveT5(T5Config c, long seed) {
        this.c = c;
        SplittableRandom r = new SplittableRandom(seed);
        for (ParameterSpec s : T5Parameters.specs(c)) {
            float[] v = new float[(int) s.elementCount()];
            boolean norm = s.torchShape().length == 1;
            double scale = norm ? 0.3 : 1 / Math.sqrt(s.torchShape()[s.torchShape().length - 1]);
            for (int i = 0; i < v.length; i++) {
                double u = r.nextDouble() * 2 - 1;
                v[i] = (float) (norm ? 1 + scale * u : 1.7 * scale * u);
            }
            torchWeights.put(s.name(), v);
        }
    }

    /** The weights as the encoder's loader would assign them (TF layout). */
    Function<ParameterSpec, float[]> tfWeights() {
        return s -> s.layout().toTf(torchWeights.get(s.name()).clone(), s.torchShape());
    }

    private double[] w(String name) {
        float[] f = torchWeights.get(name);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** last_hidden_state of one sequence, [L][d_model]. */
    double[][] encode(long[] ids) {
        int len = ids.length;
        int d = c.dModel();
        int h = c.numHeads();
        int dkv = c.dKv();
        double[] emb = w(T5Parameters.EMBEDDING);
        double[][] x = new double[len][d];
        for (int t = 0; t < len; t++) {
            System.arraycopy(emb, (int) ids[t] * d, x[t], 0, d);
        }
        double[] table = c.numLayers() > 0 ? w(T5Parameters.RELATIVE_BIAS) : null;
        for (int b = 0; b < c.numLayers(); b++) {
            String a = "encoder.block." + b + ".layer.0.";
            double[][] n = rms(x, w(a + "layer_norm.weight"));
            double[][] q = linear(n, w(a + "SelfAttention.q.weight"), h * dkv);
            double[][] k = linear(n, w(a + "SelfAttention.k.weight"), h * dkv);
            double[][] v = linear(n, w(a + "SelfAttention.v.weight"), h * dkv);
            double[][] ctx = new double[len][h * dkv];
            for (int head = 0; head < h; head++) {
                for (int i = 0; i < len; i++) {
                    double[] s = new double[len];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < len; j++) {
                        double dot = 0;
                        for (int e = 0; e < dkv; e++) {
                            dot += q[i][head * dkv + e] * k[j][head * dkv + e];
                        }
                        int bucket = bucket(j - i);
                        s[j] = dot + table[bucket * h + head];
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < len; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int j = 0; j < len; j++) {
                        for (int e = 0; e < dkv; e++) {
                            ctx[i][head * dkv + e] += s[j] / sum * v[j][head * dkv + e];
                        }
                    }
                }
            }
            add(x, linear(ctx, w(a + "SelfAttention.o.weight"), d));
            String f = "encoder.block." + b + ".layer.1.";
            n = rms(x, w(f + "layer_norm.weight"));
            double[][] hidden;
            if (c.gatedAct()) {
                double[][] g = linear(n, w(f + "DenseReluDense.wi_0.weight"), c.dFf());
                double[][] lin = linear(n, w(f + "DenseReluDense.wi_1.weight"), c.dFf());
                for (int t = 0; t < len; t++) {
                    for (int e = 0; e < c.dFf(); e++) {
                        g[t][e] = act(g[t][e]) * lin[t][e];
                    }
                }
                hidden = g;
            } else {
                hidden = linear(n, w(f + "DenseReluDense.wi.weight"), c.dFf());
                for (double[] row : hidden) {
                    for (int e = 0; e < row.length; e++) {
                        row[e] = act(row[e]);
                    }
                }
            }
            add(x, linear(hidden, w(f + "DenseReluDense.wo.weight"), d));
        }
        return rms(x, w(T5Parameters.FINAL_NORM));
    }

    /** Double-precision bucket, written from the reference formula (not from RelativePositionBuckets). */
    private int bucket(int rel) {
        int half = c.relativeAttentionNumBuckets() / 2;
        int exact = half / 2;
        int n = Math.abs(rel);
        int base = rel > 0 ? half : 0;
        if (n < exact) {
            return base + n;
        }
        double large = exact + Math.floor(Math.log((double) n / exact)
                / Math.log((double) c.relativeAttentionMaxDistance() / exact) * (half - exact));
        return base + (int) Math.min(large, half - 1);
    }

    private double act(double x) {
        return switch (c.activation()) {
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case GELU -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            case RELU -> Math.max(0, x);
            case SILU -> x / (1 + Math.exp(-x));
        };
    }

    /** Abramowitz–Stegun 7.1.26 is too coarse here; use a series / continued fraction instead. */
    private static double erf(double x) {
        double ax = Math.abs(x);
        double result;
        if (ax < 3) {
            double term = ax;
            double sum = ax;
            for (int n = 1; n < 100; n++) {
                term *= -ax * ax / n;
                sum += term / (2 * n + 1);
            }
            result = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            result = 1;
        }
        return Math.copySign(result, x);
    }

    private double[][] rms(double[][] x, double[] weight) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double ms = 0;
            for (double v : x[t]) {
                ms += v * v;
            }
            ms /= x[t].length;
            double inv = 1 / Math.sqrt(ms + c.layerNormEpsilon());
            out[t] = new double[x[t].length];
            for (int e = 0; e < x[t].length; e++) {
                out[t][e] = weight[e] * x[t][e] * inv;
            }
        }
        return out;
    }

    /** nn.Linear without bias, torch weight [out, in]. */
    private static double[][] linear(double[][] x, double[] weight, int out) {
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double s = 0;
                for (int i = 0; i < in; i++) {
                    s += x[t][i] * weight[o * in + i];
                }
                y[t][o] = s;
            }
        }
        return y;
    }

    private static void add(double[][] x, double[][] y) {
        for (int t = 0; t < x.length; t++) {
            for (int e = 0; e < x[t].length; e++) {
                x[t][e] += y[t][e];
            }
        }
    }
}
