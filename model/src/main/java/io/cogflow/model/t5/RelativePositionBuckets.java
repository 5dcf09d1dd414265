package io.cogflow.model.t5;

/**
 * T5's bidirectional relative-position buckets, as transformers' {@code T5Attention._relative_position_bucket}
 * computes them for the encoder. For a query at position i and a key at position j, with {@code rel = j − i}:
 * half of the buckets are for keys after the query ({@code rel > 0}), and within a half an offset
 * {@code n = |rel|} below {@code maxExact = buckets/4} is its own bucket, while larger offsets share
 * logarithmically wider buckets up to {@code maxDistance}, beyond which all fall into the half's last bucket.
 *
 * <p>The logarithmic branch is evaluated in float32 in the reference's order of operations
 * ({@code log(float(n) / maxExact) / log(maxDistance / maxExact) · (half − maxExact)}, then truncation toward
 * zero and the cap), so values sitting on a bucket boundary round as they do there.
 */
public final class RelativePositionBuckets {
    private RelativePositionBuckets() {
    }

    /** The bucket of one key offset {@code rel = keyPosition − queryPosition}. */
    public static int bucket(long rel, int numBuckets, int maxDistance) {
        int half = numBuckets / 2;
        int maxExact = half / 2;
        if (maxExact < 1 || maxDistance <= maxExact) {
            throw new IllegalArgumentException("relative position buckets need num_buckets >= 4 and max_distance > "
                    + "num_buckets/4, got " + numBuckets + ", " + maxDistance);
        }
        int base = rel > 0 ? half : 0;
        long n = Math.abs(rel);
        if (n < maxExact) {
            return base + (int) n;
        }
        // float32 at each step, as torch does on a float tensor with Python scalars
        float ratio = (float) n / (float) maxExact;
        float log = (float) Math.log(ratio);
        float scaled = log / (float) Math.log((double) maxDistance / maxExact) * (float) (half - maxExact);
        long large = maxExact + (long) scaled;
        return base + (int) Math.min(large, half - 1);
    }

    /** The [length, length] table, row-major: entry (i, j) is the bucket of key j seen from query i. */
    public static int[] table(int length, int numBuckets, int maxDistance) {
        if (length <= 0) {
            throw new IllegalArgumentException("sequence length must be positive, got " + length);
        }
        // a bucket depends only on j − i: compute each offset once
        int[] byOffset = new int[2 * length - 1];
        for (int rel = -(length - 1); rel <= length - 1; rel++) {
            byOffset[rel + length - 1] = bucket(rel, numBuckets, maxDistance);
        }
        int[] t = new int[Math.multiplyExact(length, length)];
        for (int i = 0; i < length; i++) {
            for (int j = 0; j < length; j++) {
                t[i * length + j] = byOffset[j - i + length - 1];
            }
        }
        return t;
    }

    public static int[] table(int length, T5Config config) {
        return table(length, config.relativeAttentionNumBuckets(), config.relativeAttentionMaxDistance());
    }
}
