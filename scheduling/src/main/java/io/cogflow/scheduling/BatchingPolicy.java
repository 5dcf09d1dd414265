package io.cogflow.scheduling;

import io.cogflow.model.pipeline.VideoSize;

import java.io.Serializable;

/**
 * Decides, for one bucket and while the generator is idle, whether to run a batch now and how big, or how long to
 * wait for more requests. The batcher asks again on every arrival and when a wait runs out, so a policy only
 * states the next decision.
 */
public interface BatchingPolicy extends Serializable {

    /** The next decision for one bucket with requests waiting. */
    Decision decide(VideoSize size, BucketLoad load);

    /**
     * The most requests a decision for this bucket may take; every batch from 1 up to it can run (a batch runs
     * with what is queued when its wait ends). The generator warms up exactly these.
     */
    int maxBatch(VideoSize size);

    /** Run {@code take} requests now, or (take = 0) wait at most {@code waitNanos} before asking again. */
    record Decision(int take, long waitNanos) {
        public Decision {
            if (take < 0 || waitNanos < 0 || (take == 0 && waitNanos == 0)) {
                throw new IllegalArgumentException("a decision runs a batch or waits: take " + take + ", wait "
                        + waitNanos);
            }
        }

        public static Decision run(int take) {
            return new Decision(take, 0);
        }

        public static Decision waitFor(long nanos) {
            return new Decision(0, Math.max(1, nanos));
        }

        public boolean runs() {
            return take > 0;
        }
    }
}
