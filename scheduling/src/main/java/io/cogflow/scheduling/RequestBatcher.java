package io.cogflow.scheduling;

import io.cogflow.model.pipeline.VideoSize;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request-level batching (Triton's dynamic batching): per-bucket queues, and when the generator is free the
 * {@link BatchingPolicy} is asked about every non-empty bucket; of the buckets it wants to run now, the one whose
 * oldest request waited longest goes first, and its batch runs from text encoding to decode. Each bucket's
 * arrival rate and the slot's measured batch times go to the policy with every question.
 */
public final class RequestBatcher<T> implements SlotScheduler<T> {

    private final BatchingPolicy policy;
    private final Map<VideoSize, Deque<Queued<T>>> queues = new LinkedHashMap<>();
    private final Map<VideoSize, ArrivalRate> rates = new LinkedHashMap<>();
    private final Map<VideoSize, ServiceTimes> measured = new LinkedHashMap<>();
    private boolean running;

    public RequestBatcher(BatchingPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void add(Queued<T> request) {
        queues.computeIfAbsent(request.size(), s -> new ArrayDeque<>()).addLast(request);
        rates.computeIfAbsent(request.size(), s -> new ArrivalRate()).arrived(request.arrivedNanos());
    }

    @Override
    public SlotWork<T> next(long nowNanos) {
        if (running) {
            throw new IllegalStateException("the previous batch is not done yet");
        }
        VideoSize due = null;
        int dueTake = 0;
        long dueArrival = Long.MAX_VALUE;
        long sleepNanos = Long.MAX_VALUE;
        for (Map.Entry<VideoSize, Deque<Queued<T>>> e : queues.entrySet()) {
            Queued<T> head = e.getValue().peekFirst();
            if (head == null) {
                continue;
            }
            BatchingPolicy.Decision d = policy.decide(e.getKey(), new BucketLoad(e.getValue().size(),
                    nowNanos - head.arrivedNanos(), rates.get(e.getKey()).perSecond(nowNanos),
                    measured.computeIfAbsent(e.getKey(), s -> new ServiceTimes())));
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
        if (due == null) {
            return new SlotWork.Idle<>(sleepNanos);
        }
        Deque<Queued<T>> q = queues.get(due);
        List<Queued<T>> batch = new ArrayList<>();
        while (!q.isEmpty() && batch.size() < dueTake) {
            batch.add(q.pollFirst());
        }
        running = true;
        return new SlotWork.Generate<>(due, List.copyOf(batch));
    }

    @Override
    public void done(SlotWork<T> work, long elapsedNanos, long nowNanos) {
        if (work instanceof SlotWork.Generate<T> g) {
            running = false;
            measured.computeIfAbsent(g.size(), s -> new ServiceTimes()).record(g.requests().size(), elapsedNanos / 1e6);
        }
    }

    @Override
    public void drop(T item) {
        queues.values().forEach(q -> q.removeIf(x -> x.item() == item));
    }

    @Override
    public int depth(VideoSize size) {
        Deque<Queued<T>> q = queues.get(size);
        return q == null ? 0 : q.size();
    }

    @Override
    public int depth() {
        return queues.values().stream().mapToInt(Deque::size).sum();
    }

    @Override
    public List<Queued<T>> drain() {
        List<Queued<T>> rest = new ArrayList<>();
        queues.values().forEach(rest::addAll);
        queues.clear();
        return rest;
    }
}
