package io.cogflow.scheduling;

import io.cogflow.model.pipeline.VideoSize;

import java.util.List;

/**
 * What a generator slot does next, as its {@link SlotScheduler} decides. Every kind of work is for requests of one
 * size (one bucket): one shape for the model.
 */
public sealed interface SlotWork<T> {

    /** Request-level batching: generate these requests together, start to end (text, every step, decode). */
    record Generate<T>(VideoSize size, List<Queued<T>> requests) implements SlotWork<T> {
    }

    /**
     * Continuous batching: encode these requests' texts and draw their initial noise; from the next step of their
     * bucket on they are part of its running set.
     */
    record Admit<T>(VideoSize size, List<Queued<T>> requests) implements SlotWork<T> {
    }

    /** Continuous batching: one batched denoising step over the bucket's running set, each at its own timestep. */
    record Step<T>(VideoSize size, List<Queued<T>> running) implements SlotWork<T> {
        @Override
        public List<Queued<T>> requests() {
            return running;
        }
    }

    /** Continuous batching: decode these requests, whose denoising is done, to videos. */
    record Decode<T>(VideoSize size, List<Queued<T>> finished) implements SlotWork<T> {
        @Override
        public List<Queued<T>> requests() {
            return finished;
        }
    }

    /**
     * Nothing to do now: ask again after {@code nanos} at the latest ({@link Long#MAX_VALUE}: only when a request
     * arrives).
     */
    record Idle<T>(long nanos) implements SlotWork<T> {
        public Idle {
            if (nanos <= 0) {
                throw new IllegalArgumentException("an idle period must be positive, got " + nanos);
            }
        }

        @Override
        public List<Queued<T>> requests() {
            return List.of();
        }
    }

    /** The requests this work is about (none for idling). */
    List<Queued<T>> requests();
}
