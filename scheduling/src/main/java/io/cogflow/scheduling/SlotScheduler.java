package io.cogflow.scheduling;

import io.cogflow.model.pipeline.VideoSize;

import java.util.List;

/**
 * Decides what one generator slot does next, on an explicit clock: the streaming job asks it on wall-clock time
 * ({@link BlockingSlot}), {@code cogflow simulate} on simulated time, so both run the same decisions. Not
 * thread-safe.
 *
 * <p>The protocol: {@link #add} requests as they arrive; {@link #next} gives work; the caller does it and reports
 * {@link #done} with how long it took (before asking for the next work). A request leaves the scheduler when the
 * work that finishes it is done ({@link SlotWork.Generate} or {@link SlotWork.Decode}), or when the caller
 * {@link #drop}s it (it expired or failed).
 */
public interface SlotScheduler<T> {

    void add(Queued<T> request);

    /** What to do at {@code nowNanos}; never work that overlaps work not yet {@link #done}. */
    SlotWork<T> next(long nowNanos);

    /** {@code work} (from {@link #next}) finished at {@code nowNanos} after {@code elapsedNanos}. */
    void done(SlotWork<T> work, long elapsedNanos, long nowNanos);

    /** Forgets a request wherever it is (queued, running, waiting for decode). */
    void drop(T item);

    /** Requests of this size the slot holds: queued, running or waiting for decode. */
    int depth(VideoSize size);

    int depth();

    /** Everything still held, for failing it on shutdown. */
    List<Queued<T>> drain();
}
