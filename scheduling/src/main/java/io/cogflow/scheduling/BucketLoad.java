package io.cogflow.scheduling;

/**
 * What a request-level {@link BatchingPolicy} sees of one bucket when the generator is idle.
 *
 * @param queued            requests of this bucket waiting (at least one)
 * @param oldestWaitNanos   how long the oldest of them has waited
 * @param arrivalsPerSecond the bucket's recent arrival rate (0 before two arrivals)
 * @param measured          how long this slot's batches of this bucket really took, so far
 */
public record BucketLoad(int queued, long oldestWaitNanos, double arrivalsPerSecond, ServiceTimes measured) {
    public BucketLoad {
        if (queued < 1) {
            throw new IllegalArgumentException("a policy is asked only about a bucket with requests waiting");
        }
    }

    /** For a policy asked without measurements (tests, a fresh slot). */
    public static BucketLoad of(int queued, long oldestWaitNanos, double arrivalsPerSecond) {
        return new BucketLoad(queued, oldestWaitNanos, arrivalsPerSecond, new ServiceTimes());
    }
}
