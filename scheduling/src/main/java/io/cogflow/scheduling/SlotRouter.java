package io.cogflow.scheduling;

import io.cogflow.model.pipeline.VideoSize;

/**
 * Which generator slot a request goes to. One router sees the requests of one upstream task (the job) or all of
 * them (the simulator); it decides from what it has seen, on an explicit clock. Not thread-safe.
 */
public interface SlotRouter {

    /** The slot (0 … slots − 1) for a request of {@code size} arriving at {@code nowNanos}. */
    int route(VideoSize size, long nowNanos);

    /** Every request to the next slot in turn, whatever its size: Flink's {@code rebalance()}. */
    final class RoundRobin implements SlotRouter {
        private final int slots;
        private int next;

        public RoundRobin(int slots, int start) {
            if (slots < 1) {
                throw new IllegalArgumentException("routing needs at least one slot");
            }
            this.slots = slots;
            this.next = Math.floorMod(start, slots);
        }

        @Override
        public int route(VideoSize size, long nowNanos) {
            int slot = next;
            next = (next + 1) % slots;
            return slot;
        }
    }
}
