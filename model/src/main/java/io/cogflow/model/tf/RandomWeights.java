package io.cogflow.model.tf;

import io.cogflow.model.checkpoint.ParameterSpec;

import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Seeded stand-in weights for benchmarks and shape checks: matrices N(0, 1/fan_in), norm scales 1, biases 0.
 * The same seed and name give the same values regardless of load order.
 */
public final class RandomWeights {
    private RandomWeights() {
    }

    public static Function<ParameterSpec, float[]> gaussian(long seed) {
        return spec -> {
            long[] shape = spec.tfShape();
            float[] v = new float[Math.toIntExact(spec.elementCount())];
            if (shape.length == 1) {
                if (spec.name().endsWith(".weight")) {
                    java.util.Arrays.fill(v, 1f);
                }
                return v;
            }
            long fanIn = spec.elementCount() / shape[shape.length - 1];
            double std = 1 / Math.sqrt(fanIn);
            SplittableRandom r = new SplittableRandom(seed ^ spec.name().hashCode() * 0x9E3779B97F4A7C15L);
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (gaussian(r) * std);
            }
            return v;
        };
    }

    private static double gaussian(SplittableRandom r) {
        // Box–Muller; SplittableRandom has no nextGaussian on Java 17
        double u = 1 - r.nextDouble();
        double w = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
    }
}
