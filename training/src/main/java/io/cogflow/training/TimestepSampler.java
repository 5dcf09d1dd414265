package io.cogflow.training;

import io.cogflow.model.random.SplitMix64;

/**
 * Training timesteps for one data-parallel rank, stratified across ranks ("parallel uniform sampling",
 * CogVideoX paper §3 "Explicit Uniform Sampling"; SAT {@code DiscreteSampling(uniform_sampling=True)}).
 *
 * <p>Why: each optimiser step averages the loss over all ranks' samples, and the loss depends strongly on t
 * (U-shaped, highest near t = 0). If every rank draws t from all of [0, T), one step may by chance see mostly
 * high-loss timesteps and the next mostly low ones, so the step loss — and the gradient — fluctuates. Giving
 * each rank its own slice of [0, T) makes every step cover the whole range, which removes the between-slice
 * part of that variance while leaving each t's overall probability uniform (see {@link TimestepVarianceStudy}).
 *
 * <p><b>Stratification rule.</b> With R ranks, rank r draws integers uniformly from
 * [⌊r·T/R⌋, ⌊(r+1)·T/R⌋). The floors distribute a remainder T mod R by giving some ranks one extra timestep
 * (interval sizes differ by at most one), and consecutive intervals share their boundary, so the R intervals
 * tile [0, T) exactly. R = 1 is plain uniform sampling over [0, T); R > T would leave ranks with empty
 * intervals and is refused. Note that with a remainder the timesteps of the larger intervals are very
 * slightly less likely per step than those of the smaller ones (1/(R·⌈T/R⌉) vs 1/(R·⌊T/R⌋)); for T = 1000
 * the paper's rank counts divide T and the difference is zero.
 *
 * <p><b>Not modelled: SAT's grouping.</b> SAT switches stratification off for ≤ 8 data-parallel ranks and
 * otherwise splits the ranks into {@code group_num} groups that share one interval of T/group_num steps
 * (CogVideoX 1.5: 40 groups, 25-step intervals). That is this class with "ranks" = groups and every rank of a
 * group constructed with its group's index; the caller can do that mapping if it ever needs parity.
 *
 * <p>Draws are deterministic per (seed, rank): each rank has its own SplitMix64 stream, so ranks need no
 * communication and a restarted run replays the same timesteps.
 */
public final class TimestepSampler {
    private final int trainTimesteps;
    private final int ranks;
    private final int rank;
    private final int lower;
    private final int upper;
    private final SplitMix64 random;

    public TimestepSampler(int trainTimesteps, int ranks, int rank, long seed) {
        if (trainTimesteps < 1) {
            throw new IllegalArgumentException("trainTimesteps must be positive, got " + trainTimesteps);
        }
        if (ranks < 1) {
            throw new IllegalArgumentException("ranks must be positive, got " + ranks);
        }
        if (ranks > trainTimesteps) {
            throw new IllegalArgumentException("cannot stratify " + trainTimesteps + " timesteps over " + ranks
                    + " ranks: every rank needs at least one timestep (ranks must be <= trainTimesteps)");
        }
        if (rank < 0 || rank >= ranks) {
            throw new IllegalArgumentException("rank must be in 0.." + (ranks - 1) + ", got " + rank);
        }
        this.trainTimesteps = trainTimesteps;
        this.ranks = ranks;
        this.rank = rank;
        this.lower = boundary(trainTimesteps, ranks, rank);
        this.upper = boundary(trainTimesteps, ranks, rank + 1);
        this.random = SplitMix64.stream(seed, rank);
    }

    /** One sampler per rank, all from the same run seed. */
    public static TimestepSampler[] forRanks(int trainTimesteps, int ranks, long seed) {
        if (ranks < 1) {
            throw new IllegalArgumentException("ranks must be positive, got " + ranks);
        }
        TimestepSampler[] out = new TimestepSampler[ranks];
        for (int r = 0; r < ranks; r++) {
            out[r] = new TimestepSampler(trainTimesteps, ranks, r, seed);
        }
        return out;
    }

    /** ⌊r·T/R⌋ in long arithmetic so r·T cannot overflow. */
    private static int boundary(int trainTimesteps, int ranks, int r) {
        return (int) ((long) r * trainTimesteps / ranks);
    }

    /** The next timestep, uniform on this rank's interval. */
    public long next() {
        return lower + random.nextLong(upper - lower);
    }

    /** The next {@code batch} timesteps (one per sample of this rank's micro-batch). */
    public long[] next(int batch) {
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be non-negative, got " + batch);
        }
        long[] out = new long[batch];
        for (int i = 0; i < batch; i++) {
            out[i] = next();
        }
        return out;
    }

    /** {inclusive lower, exclusive upper} bound of this rank's timesteps. */
    public int[] interval() {
        return new int[] {lower, upper};
    }

    public int trainTimesteps() {
        return trainTimesteps;
    }

    public int ranks() {
        return ranks;
    }

    public int rank() {
        return rank;
    }
}
