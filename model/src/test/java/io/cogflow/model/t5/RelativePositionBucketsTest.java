package io.cogflow.model.t5;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelativePositionBucketsTest {

    /** A direct double-precision transliteration of the reference formula, independent of the float32 path. */
    private static int reference(int queryPos, int keyPos, int numBuckets, int maxDistance) {
        int rel = keyPos - queryPos;
        int half = numBuckets / 2;
        int bucket = rel > 0 ? half : 0;
        int n = Math.abs(rel);
        int maxExact = half / 2;
        if (n < maxExact) {
            return bucket + n;
        }
        double large = maxExact + Math.floor(Math.log((double) n / maxExact) / Math.log((double) maxDistance / maxExact)
                * (half - maxExact));
        return bucket + (int) Math.min(large, half - 1);
    }

    @ParameterizedTest
    @CsvSource({"32,128,300", "8,20,50", "16,64,100", "64,256,300", "12,50,80", "4,5,20", "10,30,70", "7,9,25"})
    void tableMatchesAnIndependentComputation(int buckets, int maxDistance, int length) {
        int[] t = RelativePositionBuckets.table(length, buckets, maxDistance);
        assertThat(t).hasSize(length * length);
        for (int i = 0; i < length; i++) {
            for (int j = 0; j < length; j++) {
                assertThat(t[i * length + j]).as("query %d key %d", i, j)
                        .isEqualTo(reference(i, j, buckets, maxDistance));
            }
        }
    }

    @Test
    void t5XxlBucketsAtKnownOffsets() {
        // 32 buckets, 128 max distance: 16 per direction, offsets 0..7 exact, then log-spaced up to 128
        int[][] expected = {
                {0, 0}, {-1, 1}, {1, 17}, {-7, 7}, {7, 23}, {-8, 8}, {8, 24}, {-16, 10}, {-32, 12}, {-64, 14},
                {64, 30}, {-127, 15}, {-128, 15}, {-129, 15}, {-1000, 15}, {128, 31}, {5000, 31}};
        for (int[] e : expected) {
            assertThat(RelativePositionBuckets.bucket(e[0], 32, 128)).as("offset %d", e[0]).isEqualTo(e[1]);
        }
    }

    @Test
    void bucketsDependOnlyOnTheOffsetAndSaturateBeyondMaxDistance() {
        int len = 60;
        int[] t = RelativePositionBuckets.table(len, 8, 20);
        for (int i = 1; i < len; i++) {
            for (int j = 1; j < len; j++) {
                assertThat(t[i * len + j]).isEqualTo(t[(i - 1) * len + j - 1]);
            }
        }
        for (int d = 20; d < len; d++) {
            assertThat(RelativePositionBuckets.bucket(d, 8, 20)).isEqualTo(7);
            assertThat(RelativePositionBuckets.bucket(-d, 8, 20)).isEqualTo(3);
        }
    }

    @Test
    void degenerateSettingsAreRefused() {
        assertThatThrownBy(() -> RelativePositionBuckets.bucket(3, 2, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RelativePositionBuckets.table(0, 32, 128))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
