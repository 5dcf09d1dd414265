package io.cogflow.scheduling;

import io.cogflow.model.pipeline.VideoSize;

import java.io.Serializable;
import java.util.function.ToIntFunction;

/**
 * How a generator slot schedules its requests: request-level batching ({@link RequestLevel}, around a
 * {@link BatchingPolicy}) or continuous batching ({@link ContinuousPolicy}). Built where the job is built and
 * shipped to every slot, which makes its own scheduler from it.
 */
public sealed interface SlotPolicy extends Serializable permits SlotPolicy.RequestLevel, ContinuousPolicy {

    /** The most requests one model call of this size may carry: the shapes a slot warms up. */
    int maxBatch(VideoSize size);

    /**
     * A fresh scheduler for one slot.
     *
     * @param memoryLimit the most requests of a size the slot's model can run in one call
     */
    <T> SlotScheduler<T> scheduler(ToIntFunction<VideoSize> memoryLimit);

    /** Whole batches, formed by {@code policy}, each from text encoding to decode. */
    record RequestLevel(BatchingPolicy policy) implements SlotPolicy {
        @Override
        public int maxBatch(VideoSize size) {
            return policy.maxBatch(size);
        }

        @Override
        public <T> SlotScheduler<T> scheduler(ToIntFunction<VideoSize> memoryLimit) {
            return new RequestBatcher<>(policy);
        }
    }
}
