package io.cogflow.bench.model;

import java.util.SplittableRandom;

/** Seeded uniform inputs in [−1, 1) for benchmarks. */
public final class RandomData {
    private RandomData() {
    }

    public static float[] floats(long n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[Math.toIntExact(n)];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    public static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
