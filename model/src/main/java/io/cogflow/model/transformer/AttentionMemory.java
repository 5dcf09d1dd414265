package io.cogflow.model.transformer;

/**
 * Where an {@link AttentionBudget}'s bytes come from: given outright, or a share of the memory of the device the
 * model is exported for (the export cannot see that device, so its memory is given too).
 */
public sealed interface AttentionMemory {

    /** Bytes the attention scores of one call (the whole batch) may take at once. */
    long bytes();

    /** @param bytes score memory for a whole batch */
    record Explicit(long bytes) implements AttentionMemory {
        public Explicit {
            if (bytes <= 0) {
                throw new IllegalArgumentException("attention score memory must be positive, got " + bytes);
            }
        }
    }

    /**
     * A fraction of a device's memory: the rest holds weights (a 5B model in bfloat16 is ~11 GB, in float32 ~22 GB),
     * the other activations and the decode.
     *
     * @param deviceBytes the device memory, e.g. 80 GiB for an H100 80GB
     * @param fraction    in (0, 1]
     */
    record DeviceShare(long deviceBytes, double fraction) implements AttentionMemory {
        public DeviceShare {
            if (deviceBytes <= 0) {
                throw new IllegalArgumentException("device memory must be positive, got " + deviceBytes);
            }
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("attention memory fraction must be in (0, 1], got " + fraction);
            }
        }

        @Override
        public long bytes() {
            return (long) (deviceBytes * fraction);
        }
    }
}
