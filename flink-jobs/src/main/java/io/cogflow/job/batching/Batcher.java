package io.cogflow.job.batching;

import io.cogflow.model.pipeline.VideoSize;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-bucket queues of one generator slot. When the generator is free, {@link #take()} asks the
 * {@link BatchingPolicy} about every non-empty bucket; of the buckets it wants to run now, the one whose oldest
 * request waited longest goes first. Thread-safe: the operator thread adds, the generator thread takes.
 *
 * @param <T> what is queued (a request with its result future)
 */
public final class Batcher<T> {

    /** A queued item and when it arrived (System.nanoTime). */
    public record Queued<T>(T item, VideoSize size, long arrivedNanos) {
    }

    private final BatchingPolicy policy;
    private final Map<VideoSize, Deque<Queued<T>>> queues = new LinkedHashMap<>();
    private final Map<VideoSize, ArrivalRate> rates = new LinkedHashMap<>();
    private boolean closed;

    public Batcher(BatchingPolicy policy) {
        this.policy = policy;
    }

    public synchronized void add(T item, VideoSize size) {
        long now = System.nanoTime();
        queues.computeIfAbsent(size, s -> new ArrayDeque<>()).addLast(new Queued<>(item, size, now));
        rates.computeIfAbsent(size, s -> new ArrivalRate()).arrived(now);
        notifyAll();
    }

    /** Requests waiting per bucket, for the queue-depth gauges. */
    public synchronized int depth(VideoSize size) {
        Deque<Queued<T>> q = queues.get(size);
        return q == null ? 0 : q.size();
    }

    public synchronized int depth() {
        return queues.values().stream().mapToInt(Deque::size).sum();
    }

    /** Blocks until the policy runs a batch, then removes and returns it (oldest first); empty once closed. */
    public synchronized List<Queued<T>> take() throws InterruptedException {
        while (!closed) {
            long now = System.nanoTime();
            VideoSize due = null;
            int dueTake = 0;
            long dueArrival = Long.MAX_VALUE;
            long sleepNanos = Long.MAX_VALUE;
            for (Map.Entry<VideoSize, Deque<Queued<T>>> e : queues.entrySet()) {
                Queued<T> head = e.getValue().peekFirst();
                if (head == null) {
                    continue;
                }
                BatchingPolicy.Decision d = policy.decide(e.getKey(), e.getValue().size(), now - head.arrivedNanos(),
                        rates.get(e.getKey()).perSecond(now));
                if (d.runs()) {
                    if (head.arrivedNanos() < dueArrival) {
                        due = e.getKey();
                        dueTake = d.take();
                        dueArrival = head.arrivedNanos();
                    }
                } else {
                    sleepNanos = Math.min(sleepNanos, d.waitNanos());
                }
            }
            if (due != null) {
                Deque<Queued<T>> q = queues.get(due);
                List<Queued<T>> batch = new ArrayList<>();
                while (!q.isEmpty() && batch.size() < dueTake) {
                    batch.add(q.pollFirst());
                }
                return batch;
            }
            // nothing due: wake on an arrival, or when the first wait runs out
            if (sleepNanos == Long.MAX_VALUE) {
                wait();
            } else {
                wait(Math.max(1, (sleepNanos + 999_999) / 1_000_000));
            }
        }
        return List.of();
    }

    /** Everything still queued (for failing it on shutdown); the batcher then stays closed. */
    public synchronized List<Queued<T>> close() {
        closed = true;
        List<Queued<T>> rest = new ArrayList<>();
        queues.values().forEach(rest::addAll);
        queues.clear();
        notifyAll();
        return rest;
    }
}
