package io.cogflow.job;

import io.cogflow.model.pipeline.VideoSize;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Per-bucket queues of one generator slot with Triton-style dynamic batching: the bucket whose oldest request
 * waited longest goes first; its batch runs as soon as it is full ({@code max_batch}) or its oldest request has
 * waited {@code max_wait}. Thread-safe: the operator thread adds, the generator thread takes.
 *
 * @param <T> what is queued (a request with its result future)
 */
final class Batcher<T> {

    /** A queued item and when it arrived (System.nanoTime). */
    record Queued<T>(T item, VideoSize size, long arrivedNanos) {
    }

    private final Function<VideoSize, JobConfig.BucketPolicy> policies;
    private final Map<VideoSize, Deque<Queued<T>>> queues = new LinkedHashMap<>();
    private boolean closed;

    Batcher(Function<VideoSize, JobConfig.BucketPolicy> policies) {
        this.policies = policies;
    }

    synchronized void add(T item, VideoSize size) {
        queues.computeIfAbsent(size, s -> new ArrayDeque<>()).addLast(new Queued<>(item, size, System.nanoTime()));
        notifyAll();
    }

    /** Requests waiting per bucket, for the queue-depth gauges. */
    synchronized int depth(VideoSize size) {
        Deque<Queued<T>> q = queues.get(size);
        return q == null ? 0 : q.size();
    }

    synchronized int depth() {
        return queues.values().stream().mapToInt(Deque::size).sum();
    }

    /** Blocks until a batch is due, then removes and returns it (oldest first); empty once closed. */
    synchronized List<Queued<T>> take() throws InterruptedException {
        while (!closed) {
            long now = System.nanoTime();
            VideoSize due = null;
            long dueArrival = Long.MAX_VALUE;
            long sleepMs = Long.MAX_VALUE;
            for (Map.Entry<VideoSize, Deque<Queued<T>>> e : queues.entrySet()) {
                Queued<T> head = e.getValue().peekFirst();
                if (head == null) {
                    continue;
                }
                JobConfig.BucketPolicy p = policies.apply(e.getKey());
                long waitedMs = (now - head.arrivedNanos()) / 1_000_000;
                if (e.getValue().size() >= p.maxBatch() || waitedMs >= p.maxWaitMs()) {
                    if (head.arrivedNanos() < dueArrival) {
                        due = e.getKey();
                        dueArrival = head.arrivedNanos();
                    }
                } else {
                    sleepMs = Math.min(sleepMs, p.maxWaitMs() - waitedMs);
                }
            }
            if (due != null) {
                Deque<Queued<T>> q = queues.get(due);
                int max = policies.apply(due).maxBatch();
                List<Queued<T>> batch = new ArrayList<>();
                while (!q.isEmpty() && batch.size() < max) {
                    batch.add(q.pollFirst());
                }
                return batch;
            }
            // nothing due: wake on an arrival, or when the first bucket's wait runs out
            if (sleepMs == Long.MAX_VALUE) {
                wait();
            } else {
                wait(Math.max(1, sleepMs));
            }
        }
        return List.of();
    }

    /** Everything still queued (for failing it on shutdown); the batcher then stays closed. */
    synchronized List<Queued<T>> close() {
        closed = true;
        List<Queued<T>> rest = new ArrayList<>();
        queues.values().forEach(rest::addAll);
        queues.clear();
        notifyAll();
        return rest;
    }
}
