package io.cogflow.scheduling;

import io.cogflow.model.pipeline.VideoSize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Continuous (iteration-level) batching on one slot: per bucket a running set; every step is one batched denoise
 * over a bucket's running set, each request at its own timestep. No request waits for a batch to form and none
 * waits for a slower one to finish:
 * <ul>
 *   <li><b>Join</b>: at a step boundary, queued requests fill the bucket's free places ({@link SlotWork.Admit}:
 *       text encoding and initial noise), highest priority first; a queued request's priority rises by one level
 *       per {@link ContinuousPolicy#priorityAgingMs} of waiting, so a low one is never starved. Ties: oldest
 *       first.</li>
 *   <li><b>Leave</b>: a request whose steps are done leaves the running set at once and waits for decode, which
 *       runs on its own, {@link ContinuousPolicy#decodeChunk} videos between two steps while others are queued or running
 *       (so decode delays a step by at most one chunk — decodes run next to denoise steps are what makes latency
 *       spike, SynerDiff 2026), and all at once when nothing is running.</li>
 *   <li><b>Turns</b>: buckets sharing the slot take turns by weighted fair queueing: each bucket's virtual time
 *       advances by a step's measured duration divided by its running requests, and the bucket with the least
 *       virtual time steps next. Every running request so gets an equal share of the slot's time whatever its
 *       size, and no bucket can be starved: another's virtual time grows with every step it takes. A bucket that
 *       becomes active starts at the least virtual time of the active ones, not at an old, low one.</li>
 *   <li><b>Cap</b>: a bucket's running set holds at most {@link ContinuousPolicy#maxRunning} requests, lowered by
 *       the slot's memory limit.</li>
 * </ul>
 */
public final class ContinuousBatcher<T> implements SlotScheduler<T> {

    private final ContinuousPolicy policy;
    private final ToIntFunction<VideoSize> memoryLimit;
    private final Map<VideoSize, Bucket<T>> buckets = new LinkedHashMap<>();
    private final List<Queued<T>> finished = new ArrayList<>();
    /** Decodes run since the last step, while requests were running. */
    private int decodedSinceStep;
    private boolean busy;

    /** One bucket's queue, running set and virtual time. */
    private static final class Bucket<T> {
        final List<Queued<T>> queued = new ArrayList<>();
        /** Running requests and the steps each has taken, in join order. */
        final Map<Queued<T>, Integer> running = new LinkedHashMap<>();
        double virtualNanos;
        boolean active;

        boolean hasWork() {
            return !queued.isEmpty() || !running.isEmpty();
        }
    }

    /** @param memoryLimit the most requests of a size the slot's memory holds in one step (Integer.MAX_VALUE: no limit) */
    public ContinuousBatcher(ContinuousPolicy policy, ToIntFunction<VideoSize> memoryLimit) {
        this.policy = policy;
        this.memoryLimit = memoryLimit;
    }

    public ContinuousBatcher(ContinuousPolicy policy) {
        this(policy, size -> Integer.MAX_VALUE);
    }

    /** The most requests of this size running together. */
    public int cap(VideoSize size) {
        return Math.max(1, Math.min(policy.maxRunning(size), memoryLimit.applyAsInt(size)));
    }

    @Override
    public void add(Queued<T> request) {
        Bucket<T> b = buckets.computeIfAbsent(request.size(), s -> new Bucket<>());
        if (!b.active) {
            b.virtualNanos = Math.max(b.virtualNanos, leastActiveVirtualTime());
            b.active = true;
        }
        b.queued.add(request);
    }

    private double leastActiveVirtualTime() {
        return buckets.values().stream().filter(b -> b.active).mapToDouble(b -> b.virtualNanos).min().orElse(0);
    }

    @Override
    public SlotWork<T> next(long nowNanos) {
        if (busy) {
            throw new IllegalStateException("the previous work is not done yet");
        }
        // one chunk between two steps; with nothing to step (or admit), every finished request in turn
        boolean anyWork = buckets.values().stream().anyMatch(Bucket::hasWork);
        if (!finished.isEmpty() && (!anyWork || decodedSinceStep == 0)) {
            return start(decode());
        }
        VideoSize turn = null;
        double least = Double.MAX_VALUE;
        for (Map.Entry<VideoSize, Bucket<T>> e : buckets.entrySet()) {
            Bucket<T> b = e.getValue();
            if (b.hasWork() && b.virtualNanos < least) {
                least = b.virtualNanos;
                turn = e.getKey();
            }
        }
        if (turn == null) {
            return new SlotWork.Idle<>(Long.MAX_VALUE);
        }
        Bucket<T> b = buckets.get(turn);
        int room = cap(turn) - b.running.size();
        if (room > 0 && !b.queued.isEmpty()) {
            b.queued.sort(joinOrder(nowNanos));
            List<Queued<T>> joining = new ArrayList<>(b.queued.subList(0, Math.min(room, b.queued.size())));
            return start(new SlotWork.Admit<>(turn, List.copyOf(joining)));
        }
        if (b.running.isEmpty()) {
            // full of nothing: only possible with a cap of 0, which cap() prevents
            throw new IllegalStateException("bucket " + turn + " has queued requests but no room");
        }
        return start(new SlotWork.Step<>(turn, List.copyOf(b.running.keySet())));
    }

    /** Highest aged priority first, then oldest. */
    private Comparator<Queued<T>> joinOrder(long nowNanos) {
        double agingNanos = policy.priorityAgingMs() * 1e6;
        return Comparator.<Queued<T>>comparingDouble(q -> -(q.priority() + (nowNanos - q.arrivedNanos()) / agingNanos))
                .thenComparingLong(Queued::arrivedNanos);
    }

    private SlotWork.Decode<T> decode() {
        VideoSize size = finished.get(0).size();
        List<Queued<T>> chunk = new ArrayList<>();
        for (Queued<T> q : finished) {
            if (q.size().equals(size) && chunk.size() < policy.decodeChunk()) {
                chunk.add(q);
            }
        }
        return new SlotWork.Decode<>(size, List.copyOf(chunk));
    }

    private SlotWork<T> start(SlotWork<T> work) {
        busy = true;
        return work;
    }

    @Override
    public void done(SlotWork<T> work, long elapsedNanos, long nowNanos) {
        busy = false;
        if (work instanceof SlotWork.Admit<T> a) {
            Bucket<T> b = buckets.get(a.size());
            for (Queued<T> q : a.requests()) {
                if (b.queued.remove(q)) {
                    b.running.put(q, 0);
                }
            }
        } else if (work instanceof SlotWork.Step<T> s) {
            Bucket<T> b = buckets.get(s.size());
            int stepped = 0;
            for (Queued<T> q : s.running()) {
                Integer steps = b.running.get(q);
                if (steps == null) {
                    continue; // dropped while its step ran
                }
                stepped++;
                if (steps + 1 >= q.steps()) {
                    b.running.remove(q);
                    finished.add(q);
                } else {
                    b.running.put(q, steps + 1);
                }
            }
            b.virtualNanos += (double) elapsedNanos / Math.max(1, stepped);
            decodedSinceStep = 0;
            deactivateIfIdle(b);
        } else if (work instanceof SlotWork.Decode<T> d) {
            finished.removeAll(d.finished());
            decodedSinceStep += d.finished().size();
        } else if (work instanceof SlotWork.Generate<T>) {
            throw new IllegalArgumentException("continuous batching never generates a whole batch");
        }
    }

    private void deactivateIfIdle(Bucket<T> b) {
        if (!b.hasWork()) {
            b.active = false;
        }
    }

    @Override
    public void drop(T item) {
        for (Bucket<T> b : buckets.values()) {
            b.queued.removeIf(q -> q.item() == item);
            b.running.keySet().removeIf(q -> q.item() == item);
            deactivateIfIdle(b);
        }
        finished.removeIf(q -> q.item() == item);
    }

    /** Requests of this size running now (for the running-set gauge). */
    public int running(VideoSize size) {
        Bucket<T> b = buckets.get(size);
        return b == null ? 0 : b.running.size();
    }

    @Override
    public int depth(VideoSize size) {
        Bucket<T> b = buckets.get(size);
        int n = b == null ? 0 : b.queued.size() + b.running.size();
        return n + (int) finished.stream().filter(q -> q.size().equals(size)).count();
    }

    @Override
    public int depth() {
        return buckets.values().stream().mapToInt(b -> b.queued.size() + b.running.size()).sum() + finished.size();
    }

    @Override
    public List<Queued<T>> drain() {
        List<Queued<T>> rest = new ArrayList<>(finished);
        for (Bucket<T> b : buckets.values()) {
            rest.addAll(b.running.keySet());
            rest.addAll(b.queued);
        }
        buckets.clear();
        finished.clear();
        return rest;
    }
}
