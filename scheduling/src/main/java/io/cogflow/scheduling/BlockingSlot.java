package io.cogflow.scheduling;

import io.cogflow.model.pipeline.VideoSize;

import java.util.List;
import java.util.function.Function;

/**
 * A {@link SlotScheduler} on wall-clock time ({@link System#nanoTime}) between two threads: the operator thread
 * adds requests, the generator thread {@link #next() waits for work}, does it and reports it {@link #done}.
 */
public final class BlockingSlot<T> {

    private final SlotScheduler<T> scheduler;
    private boolean closed;

    public BlockingSlot(SlotScheduler<T> scheduler) {
        this.scheduler = scheduler;
    }

    /** Queues a request that arrives now; refused once the slot is closed. */
    public synchronized Queued<T> add(T item, VideoSize size, int priority, int steps) {
        if (closed) {
            throw new IllegalStateException("the generator slot is closed");
        }
        Queued<T> q = new Queued<>(item, size, priority, steps, System.nanoTime());
        scheduler.add(q);
        notifyAll();
        return q;
    }

    /** Blocks until there is work, and returns it; null once closed. */
    public synchronized SlotWork<T> next() throws InterruptedException {
        while (!closed) {
            SlotWork<T> work = scheduler.next(System.nanoTime());
            if (!(work instanceof SlotWork.Idle<T> idle)) {
                return work;
            }
            // wake on an arrival, or when the scheduler's wait runs out
            if (idle.nanos() == Long.MAX_VALUE) {
                wait();
            } else {
                wait(Math.max(1, (idle.nanos() + 999_999) / 1_000_000));
            }
        }
        return null;
    }

    public synchronized void done(SlotWork<T> work, long elapsedNanos) {
        scheduler.done(work, elapsedNanos, System.nanoTime());
    }

    public synchronized void drop(T item) {
        scheduler.drop(item);
    }

    /** Reads the scheduler's state under this slot's lock (for gauges). */
    public synchronized <R> R inspect(Function<SlotScheduler<T>, R> read) {
        return read.apply(scheduler);
    }

    public synchronized int depth(VideoSize size) {
        return scheduler.depth(size);
    }

    public synchronized int depth() {
        return scheduler.depth();
    }

    /** Everything still held (for failing it on shutdown); a waiting {@link #next()} returns null. */
    public synchronized List<Queued<T>> close() {
        closed = true;
        notifyAll();
        return scheduler.drain();
    }
}
