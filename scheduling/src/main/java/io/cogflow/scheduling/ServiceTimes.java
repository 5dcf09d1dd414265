package io.cogflow.scheduling;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * How long one slot's batches of one bucket took, per batch size: an exponentially weighted mean of the measured
 * wall time from the start of a batch to its last result. This is what the pipeline delivers — the model's time
 * plus everything else that runs on the slot's machine (Kafka clients, encoding, checkpoints) — where a
 * {@link io.cogflow.model.pipeline.BatchProfile} has the bare model's time.
 */
public final class ServiceTimes {
    /** Weight of the newest measurement. */
    private static final double ALPHA = 0.3;

    private final Map<Integer, Double> meanMs = new TreeMap<>();

    public void record(int batch, double ms) {
        if (batch < 1 || !(ms >= 0)) {
            throw new IllegalArgumentException("a measured batch needs size >= 1 and a time >= 0, got " + batch
                    + ", " + ms + " ms");
        }
        meanMs.merge(batch, ms, (old, now) -> old + ALPHA * (now - old));
    }

    public OptionalDouble ms(int batch) {
        Double m = meanMs.get(batch);
        return m == null ? OptionalDouble.empty() : OptionalDouble.of(m);
    }

    /** Measured batch sizes and their mean times, in increasing batch size. */
    public Map<Integer, Double> all() {
        return java.util.Collections.unmodifiableMap(meanMs);
    }

    public boolean isEmpty() {
        return meanMs.isEmpty();
    }
}
