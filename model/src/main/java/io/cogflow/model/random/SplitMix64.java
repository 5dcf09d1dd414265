package io.cogflow.model.random;

/**
 * SplitMix64 (Steele, Lea &amp; Flood 2014): the project's one seeded generator, for noise, timesteps, dropout
 * masks and training clips. Spelled out because a recorded seed must replay the same draws on any JVM, and
 * {@link java.util.SplittableRandom}'s algorithm is not part of its specification. Not thread-safe.
 */
public final class SplitMix64 {
    private static final double INV_2_53 = 0x1.0p-53;
    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** One independent stream per (seed, stream index): both are mixed so neighbouring seeds do not share draws. */
    public static SplitMix64 stream(long seed, long index) {
        return new SplitMix64(mix(seed) ^ mix(index * 0xD1B54A32D192ED03L + 0x632BE59BD9B4E019L));
    }

    /** The SplitMix64 finaliser: a bijective scramble of 64 bits, also useful to derive seeds. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        return mix(state += 0x9E3779B97F4A7C15L);
    }

    /** Uniform on [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * INV_2_53;
    }

    /** Uniform on (0, 1]: never 0, so a logarithm of it stays finite. */
    public double nextOpenUnit() {
        return ((nextLong() >>> 11) + 1) * INV_2_53;
    }

    /** Uniform on [lo, hi). */
    public double between(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** A word reduced modulo {@code bound}; the bias is below bound/2^64, fine for picking among a few options. */
    public int nextInt(int bound) {
        return (int) Math.floorMod(nextLong(), (long) bound);
    }

    /**
     * Uniform on [0, bound) without modulo bias: 63-bit words from the top of the range that would make some
     * residues more likely are rejected (the rejected share is below bound/2^63, so this almost never loops).
     */
    public long nextLong(long bound) {
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
