package io.cogflow.model.training;

/**
 * Uniform draws from SplitMix64 (Steele, Lea &amp; Flood 2014), the generator {@code SeededNoise} uses.
 *
 * <p>Spelled out for the same reason as there: a training run's seed should replay the same timesteps and
 * dropout masks on any JVM, and {@link java.util.SplittableRandom}'s algorithm is not specified.
 */
final class SplitMix64 {
    private static final double INV_2_53 = 0x1.0p-53;
    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    /** One independent stream per (seed, stream index): both are mixed so neighbouring seeds do not share draws. */
    static SplitMix64 stream(long seed, long index) {
        return new SplitMix64(mix(seed) ^ mix(index * 0xD1B54A32D192ED03L + 0x632BE59BD9B4E019L));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        return mix(state += 0x9E3779B97F4A7C15L);
    }

    /** Uniform on [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * INV_2_53;
    }

    /**
     * Uniform on [0, bound) without modulo bias: 63-bit words from the top of the range that would make some
     * residues more likely are rejected (the rejected share is below bound/2^63, so this almost never loops).
     */
    long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long limit = Long.MAX_VALUE - (Long.MAX_VALUE % bound + 1) % bound;
        long r;
        do {
            r = nextLong() >>> 1;
        } while (r > limit);
        return r % bound;
    }
}
