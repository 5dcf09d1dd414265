package io.cogflow.training;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimestepSamplerTest {
    private static final int T = 1000;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 8, 1000})
    void intervalsTileTheTrainingRangeExactly(int ranks) {
        int[] owner = new int[T];
        java.util.Arrays.fill(owner, -1);
        int minSize = Integer.MAX_VALUE;
        int maxSize = 0;
        for (TimestepSampler s : TimestepSampler.forRanks(T, ranks, 1)) {
            int[] iv = s.interval();
            assertThat(iv[0]).isLessThan(iv[1]);
            minSize = Math.min(minSize, iv[1] - iv[0]);
            maxSize = Math.max(maxSize, iv[1] - iv[0]);
            for (int t = iv[0]; t < iv[1]; t++) {
                assertThat(owner[t]).as("timestep %d claimed twice", t).isEqualTo(-1);
                owner[t] = s.rank();
            }
        }
        assertThat(owner).doesNotContain(-1);
        assertThat(maxSize - minSize).as("remainder spread one step at a time").isLessThanOrEqualTo(1);
        if (ranks == 1) {
            assertThat(new TimestepSampler(T, 1, 0, 5).interval()).containsExactly(0, T);
        }
    }

    @Test
    void remainderSplitIsDocumentedFloorRule() {
        // ⌊r·1000/3⌋ = 0, 333, 666, 1000
        TimestepSampler[] s = TimestepSampler.forRanks(T, 3, 0);
        assertThat(s[0].interval()).containsExactly(0, 333);
        assertThat(s[1].interval()).containsExactly(333, 666);
        assertThat(s[2].interval()).containsExactly(666, 1000);
        assertThat(TimestepSampler.forRanks(T, 8, 0)[7].interval()).containsExactly(875, 1000);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 8})
    void drawsStayInTheIntervalAndAreRoughlyUniform(int ranks) {
        int buckets = 10;
        int perBucket = 2000;
        for (TimestepSampler s : TimestepSampler.forRanks(T, ranks, 42)) {
            int lo = s.interval()[0];
            int size = s.interval()[1] - lo;
            long[] counts = new long[buckets];
            for (long t : s.next(buckets * perBucket)) {
                assertThat(t).isBetween((long) lo, (long) lo + size - 1);
                counts[(int) ((t - lo) * buckets / size)]++;
            }
            // chi-square against the exact bucket probabilities (buckets may differ by one timestep)
            double chi2 = 0;
            for (int b = 0; b < buckets; b++) {
                int width = (int) (((long) (b + 1) * size + buckets - 1) / buckets - ((long) b * size + buckets - 1) / buckets);
                double expected = (double) buckets * perBucket * width / size;
                chi2 += (counts[b] - expected) * (counts[b] - expected) / expected;
            }
            // 9 degrees of freedom: P(chi2 > 27.9) = 0.001
            assertThat(chi2).as("rank %d of %d", s.rank(), ranks).isLessThan(27.9);
        }
    }

    @Test
    void everyTimestepReachableWithOneRankPerTimestep() {
        for (TimestepSampler s : TimestepSampler.forRanks(T, T, 9)) {
            assertThat(s.next()).isEqualTo(s.rank());
        }
    }

    @Test
    void deterministicPerSeedAndRank() {
        assertThat(new TimestepSampler(T, 4, 2, 7).next(50)).containsExactly(new TimestepSampler(T, 4, 2, 7).next(50));
        assertThat(new TimestepSampler(T, 1, 0, 7).next(50)).isNotEqualTo(new TimestepSampler(T, 1, 0, 8).next(50));
        long[] a = new TimestepSampler(T, 1, 0, 7).next(50);
        TimestepSampler chunked = new TimestepSampler(T, 1, 0, 7);
        long[] b = new long[50];
        for (int i = 0; i < 50; i++) {
            b[i] = chunked.next();
        }
        assertThat(b).containsExactly(a);
    }

    @Test
    void ranksAreIndependentStreams() {
        // same seed, two ranks with the whole range: the streams must differ
        long[] r0 = new TimestepSampler(T, 2, 0, 3).next(20);
        long[] r1 = new TimestepSampler(T, 2, 1, 3).next(20);
        for (int i = 0; i < 20; i++) {
            r1[i] -= 500;
        }
        assertThat(r1).isNotEqualTo(r0);
    }

    @Test
    void refusesMoreRanksThanTimesteps() {
        assertThatThrownBy(() -> new TimestepSampler(T, 1001, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000 timesteps over 1001 ranks");
        assertThatThrownBy(() -> TimestepSampler.forRanks(T, 1001, 0))
                .hasMessageContaining("ranks must be <= trainTimesteps");
        assertThatThrownBy(() -> new TimestepSampler(T, 4, 4, 0)).hasMessageContaining("rank must be in 0..3");
        assertThatThrownBy(() -> new TimestepSampler(T, 0, 0, 0)).hasMessageContaining("ranks must be positive");
    }
}
