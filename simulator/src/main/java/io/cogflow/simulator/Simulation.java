package io.cogflow.simulator;

import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.scheduling.Percentiles;
import io.cogflow.scheduling.Queued;
import io.cogflow.scheduling.SlotRouter;
import io.cogflow.scheduling.SlotScheduler;
import io.cogflow.scheduling.SlotWork;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A discrete-event run of the {@link Service} over a list of arrivals, on simulated nanoseconds. The slots run
 * the scheduling module's own {@link SlotScheduler}s and the router is its own {@link SlotRouter}, driven with the
 * same protocol the streaming job's slots follow on wall-clock time (add → next → the work → done); only the work
 * itself is replaced by its {@link CostModel} duration. Runs until every request's result is visible.
 *
 * <p>Events: arrivals (in order, from the list) and per slot at most one pending event — its current work
 * finishing, or the end of the wait its scheduler asked for. An arrival at an idle slot asks the slot's scheduler
 * at once, which replaces any pending wait (the stale event is skipped by its version). At equal times arrivals
 * go first, so a request arriving as a batch closes still sees the decision.
 */
public final class Simulation {

    private final Service service;

    public Simulation(Service service) {
        this.service = service;
    }

    private record Event(long nanos, int slot, long version, long seq) {
    }

    /** One slot's scheduler and what it is doing. */
    private static final class Slot {
        SlotScheduler<SimRequest> scheduler;
        SlotWork<SimRequest> current;
        long currentStart;
        long version;
        long busyNanos;
    }

    public Result run(List<SimRequest> arrivals) {
        long wallStart = System.nanoTime();
        CostModel costs = service.costs();
        for (SimRequest r : arrivals) {
            if (!costs.covers(r.size())) {
                throw new IllegalArgumentException("the profile has no bucket " + r.size() + " (it has "
                        + costs.profile().buckets().keySet() + "): its costs are unknown");
            }
        }
        SimRequest[] reqs = arrivals.toArray(SimRequest[]::new);
        Arrays.sort(reqs, Comparator.comparingLong(SimRequest::arrivalNanos));
        Run run = new Run(reqs);
        run.go();
        return run.result((System.nanoTime() - wallStart) / 1e6);
    }

    /**
     * The generation rate the service sustains while every slot has work: run {@code overload} (arrivals faster
     * than the service) and count the completions after the ramp-up ({@link #steadyRate}).
     */
    public double saturatedRate(List<SimRequest> overload) {
        SimRequest[] reqs = overload.toArray(SimRequest[]::new);
        Arrays.sort(reqs, Comparator.comparingLong(SimRequest::arrivalNanos));
        for (SimRequest r : reqs) {
            if (!service.costs().covers(r.size())) {
                throw new IllegalArgumentException("the profile has no bucket " + r.size());
            }
        }
        Run run = new Run(reqs);
        run.go();
        return steadyRate(run.generated, service.slots());
    }

    /** The mutable state of one run. */
    private final class Run {
        final SimRequest[] reqs;
        final Map<SimRequest, Integer> index = new java.util.IdentityHashMap<>();
        final long[] start;
        final long[] generated;
        final int[] batchOf;
        final Slot[] slots;
        final SlotRouter router;
        final PriorityQueue<Event> events = new PriorityQueue<>(
                Comparator.comparingLong(Event::nanos).thenComparingLong(Event::seq));
        final Map<String, Long> work = new LinkedHashMap<>();
        long seq;
        long steps;
        long stepRequests;
        long lastWorkEnd;

        Run(SimRequest[] reqs) {
            this.reqs = reqs;
            int n = reqs.length;
            start = new long[n];
            generated = new long[n];
            batchOf = new int[n];
            Arrays.fill(start, -1);
            Arrays.fill(generated, -1);
            for (int i = 0; i < n; i++) {
                index.put(reqs[i], i);
            }
            slots = new Slot[service.slots()];
            for (int s = 0; s < slots.length; s++) {
                slots[s] = new Slot();
                // a slot's memory holds what the profile measured together, no more
                slots[s].scheduler = service.policy().scheduler(service.costs()::largestMeasuredBatch);
            }
            router = service.routing().router(service.slots(), 0, 1);
            for (String kind : List.of("generate", "admit", "step", "decode", "idle")) {
                work.put(kind, 0L);
            }
        }

        void go() {
            int next = 0;
            while (next < reqs.length || !events.isEmpty()) {
                Event e = events.peek();
                if (next < reqs.length && (e == null || reqs[next].arrivalNanos() <= e.nanos())) {
                    arrive(reqs[next++]);
                    continue;
                }
                events.poll();
                Slot slot = slots[e.slot()];
                if (e.version() != slot.version) {
                    continue; // a wait replaced by an arrival's decision
                }
                if (slot.current != null) {
                    finish(slot, e.nanos());
                }
                decide(e.slot(), e.nanos());
            }
            for (int i = 0; i < reqs.length; i++) {
                if (generated[i] < 0) {
                    throw new IllegalStateException("request " + reqs[i].id() + " was never generated: the "
                            + "scheduler kept it although nothing else was left to do");
                }
            }
        }

        void arrive(SimRequest r) {
            long now = r.arrivalNanos();
            int s = router.route(r.size(), now);
            Slot slot = slots[s];
            slot.scheduler.add(new Queued<>(r, r.size(), r.priority(), r.steps(), now));
            if (slot.current == null) {
                decide(s, now);
            }
        }

        void decide(int s, long now) {
            Slot slot = slots[s];
            SlotWork<SimRequest> w = slot.scheduler.next(now);
            slot.version++;
            if (w instanceof SlotWork.Idle<SimRequest> idle) {
                work.merge("idle", 1L, Long::sum);
                if (idle.nanos() != Long.MAX_VALUE) {
                    push(now + idle.nanos(), s, slot.version);
                }
                return;
            }
            long cost = Math.round(service.costs().workMs(w) * 1e6);
            slot.current = w;
            slot.currentStart = now;
            if (w instanceof SlotWork.Generate<SimRequest> g) {
                work.merge("generate", 1L, Long::sum);
                for (Queued<SimRequest> q : g.requests()) {
                    int i = index.get(q.item());
                    start[i] = now;
                    batchOf[i] = g.requests().size();
                }
            } else if (w instanceof SlotWork.Admit<SimRequest> a) {
                work.merge("admit", 1L, Long::sum);
                for (Queued<SimRequest> q : a.requests()) {
                    int i = index.get(q.item());
                    if (start[i] < 0) {
                        start[i] = now;
                    }
                }
            } else if (w instanceof SlotWork.Step<SimRequest> st) {
                work.merge("step", 1L, Long::sum);
                steps++;
                stepRequests += st.running().size();
            } else {
                work.merge("decode", 1L, Long::sum);
            }
            push(now + cost, s, slot.version);
        }

        void finish(Slot slot, long now) {
            SlotWork<SimRequest> w = slot.current;
            long elapsed = now - slot.currentStart;
            slot.current = null;
            slot.busyNanos += elapsed;
            lastWorkEnd = Math.max(lastWorkEnd, now);
            slot.scheduler.done(w, elapsed, now);
            if (w instanceof SlotWork.Generate<SimRequest> || w instanceof SlotWork.Decode<SimRequest>) {
                for (Queued<SimRequest> q : w.requests()) {
                    generated[index.get(q.item())] = now;
                }
            }
        }

        /**
         * Results generated by the last arrival over the requests that arrived a first-third sojourn (arrival →
         * generated, as the early requests saw it) before it: about 1 when the service keeps up, about capacity /
         * rate when it does not. Unlike achieved / offered it does not count the last requests' latency against a
         * finite run, and unlike a sojourn measured over the whole run it is not stretched by the queue growing.
         */
        double keptUp(long lastArrival, int third) {
            int early = Math.max(1, third);
            double sojourn = 0;
            for (int i = 0; i < early; i++) {
                sojourn += generated[i] - reqs[i].arrivalNanos();
            }
            long due = lastArrival - Math.round(sojourn / early);
            long arrivedByDue = Arrays.stream(reqs).filter(r -> r.arrivalNanos() <= due).count();
            long generatedByEnd = Arrays.stream(generated).filter(g -> g <= lastArrival).count();
            return arrivedByDue == 0 ? 1 : (double) generatedByEnd / arrivedByDue;
        }

        void push(long nanos, int slot, long version) {
            events.add(new Event(nanos, slot, version, seq++));
        }

        Result result(double wallMs) {
            int n = reqs.length;
            if (n == 0) {
                throw new IllegalArgumentException("a simulation needs at least one arrival");
            }
            double[] e2e = new double[n];
            double[] queue = new double[n];
            long lastVisible = 0;
            double serviceMs = 0;
            double batchSum = 0;
            for (int i = 0; i < n; i++) {
                long visible = service.pipeline().visibleNanos(generated[i]);
                lastVisible = Math.max(lastVisible, visible);
                e2e[i] = (visible - reqs[i].arrivalNanos()) / 1e6;
                queue[i] = (start[i] - reqs[i].arrivalNanos()) / 1e6;
                serviceMs += (generated[i] - start[i]) / 1e6;
                batchSum += batchOf[i];
            }
            serviceMs /= n;
            long first = reqs[0].arrivalNanos();
            long lastArrival = reqs[n - 1].arrivalNanos();
            double offered = n / Math.max(1e-9, lastArrival / 1e9);
            double achieved = n / Math.max(1e-9, lastVisible / 1e9);
            double span = Math.max(1, lastWorkEnd - first);
            double busy = Arrays.stream(slots).mapToDouble(s -> s.busyNanos / span).average().orElse(0);
            boolean requestLevel = work.get("generate") > 0;
            double meanBatch = requestLevel ? batchSum / n : (steps == 0 ? 0 : (double) stepRequests / steps);
            int third = n / 3;
            double firstThird = mean(queue, 0, third);
            double lastThird = mean(queue, n - third, n);
            double keptUp = keptUp(lastArrival, third);
            boolean grows = keptUp < 0.95 || (third > 0 && lastThird > 2 * firstThird + serviceMs);
            return new Result(service.policyName(), service.routing().kind().configName(), service.slots(),
                    Double.NaN, n, offered, achieved, keptUp, Percentiles.of(e2e), Percentiles.of(queue), busy,
                    meanBatch,
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(work)), grows, (lastVisible - first) / 1e9, wallMs);
        }
    }

    private static double mean(double[] v, int from, int to) {
        if (to <= from) {
            return 0;
        }
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }

    /**
     * The sustained generation rate under overload: from the completion of the first tenth of the requests to the
     * completion that leaves one request per slot. Nearly everything after the ramp-up counts, so the rate is of
     * the offered mix: a window in the middle would favour a policy that, queue full, finishes cheap requests first
     * (continuous batching shares a slot's time per running request, so small videos complete more often) and
     * count a mix that is not the one offered. The last request per slot is left out because those finish one
     * after the other as slots run out of work (the drain), which is not the service's rate.
     */
    static double steadyRate(long[] generatedNanos, int slots) {
        long[] t = generatedNanos.clone();
        Arrays.sort(t);
        int from = t.length / 10;
        int last = t.length - 1 - slots;
        if (last <= from || t[last] <= t[from]) {
            throw new IllegalArgumentException("too few completions to measure a sustained rate: " + t.length);
        }
        return (last - from) / ((t[last] - t[from]) / 1e9);
    }

    /** Sizes present in the arrivals, in first-seen order (for reports). */
    static List<VideoSize> sizes(List<SimRequest> arrivals) {
        return arrivals.stream().map(SimRequest::size).distinct().toList();
    }
}
