package io.cogflow.model.sampling;

import io.cogflow.model.random.SplitMix64;

/**
 * Standard-normal draws determined by the seed alone: SplitMix64 (Steele, Lea &amp; Flood 2014) for uniform
 * 64-bit words, Box–Muller for the normals.
 *
 * <p>Why spell the generator out: a seed recorded next to a video should reproduce it on any JVM, and
 * {@link java.util.SplittableRandom}'s algorithm is not part of its specification; {@link java.util.Random}'s
 * is, but it is a 48-bit LCG that synchronises every draw. The transcendental functions use
 * {@link StrictMath} (fdlibm, bit-identical everywhere) rather than {@link Math}, whose intrinsics may
 * differ by an ulp between platforms. No attempt is made to match PyTorch's generator: bitwise parity with
 * torch.randn is impractical, and parity tests replay recorded noise with {@link TapeNoise} instead.
 *
 * <p>The stream does not depend on how it is chunked: Box–Muller yields normals in pairs and the spare is kept
 * for the next {@link #fill}, so fill(3) + fill(5) gives the same eight values as fill(8).
 */
public final class SeededNoise implements NoiseSource {
    private static final double TWO_PI = 2 * Math.PI;

    private final SplitMix64 random;
    private float spare;
    private boolean hasSpare;

    public SeededNoise(long seed) {
        this.random = new SplitMix64(seed);
    }

    @Override
    public void fill(float[] target) {
        int i = 0;
        if (hasSpare && target.length > 0) {
            target[i++] = spare;
            hasSpare = false;
        }
        while (i < target.length) {
            double radius = StrictMath.sqrt(-2 * StrictMath.log(random.nextOpenUnit()));
            double angle = TWO_PI * random.nextOpenUnit();
            target[i++] = (float) (radius * StrictMath.cos(angle));
            float second = (float) (radius * StrictMath.sin(angle));
            if (i < target.length) {
                target[i++] = second;
            } else {
                spare = second;
                hasSpare = true;
            }
        }
    }
}
