package io.cogflow.scheduling;

import io.cogflow.model.pipeline.VideoSize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Bucket-affine routing: each bucket's requests go to a set of slots sized to its measured arrival rate, so a
 * bucket's traffic is not cut N ways and its batches (or running sets) stay large as the slots grow in number.
 * <ul>
 *   <li><b>Sizing</b>: with a slot's throughput per bucket known (from a profile), a bucket gets
 *       ⌈{@value #HEADROOM} × rate / throughput⌉ slots; without it, slots in proportion to its share of the
 *       arrivals. At least one each; if they add up to more than there are, all shrink in proportion (buckets then
 *       share slots). Re-planned every {@value #REPLAN_MILLIS} ms, and at once for a bucket not seen before.</li>
 *   <li><b>Placement</b>: buckets in a fixed order (their names) take consecutive slots, so every upstream task,
 *       seeing about the same rates, places a bucket on the same slots.</li>
 *   <li><b>Within the set</b>: the slot with the least estimated backlog, each request adding its cost (1 /
 *       throughput, or 1 s unknown) and every slot draining one second of it per second.</li>
 *   <li><b>Spill-over</b>: when even that slot has more than {@value #SPILL_REQUESTS} requests' worth of backlog —
 *       the set is saturated, its rate estimate lags a burst — the request goes to the least-backlogged slot of all
 *       if that one has less than half as much.</li>
 * </ul>
 * One router sees one upstream task's share of the traffic; {@code upstreamTasks} scales its costs so that its
 * backlog estimates stand for the whole traffic (the tasks' shares are about equal: requests are spread over the
 * source partitions).
 */
public final class BucketAffineRouter implements SlotRouter {

    static final double HEADROOM = 1.25;
    static final long REPLAN_MILLIS = 1000;
    static final double SPILL_REQUESTS = 4;
    /** A request's cost when the throughput of its bucket is unknown. */
    static final double UNKNOWN_COST_SECONDS = 1;

    private final int slots;
    private final ToDoubleFunction<VideoSize> slotThroughput;
    private final int upstreamTasks;
    private final Map<VideoSize, ArrivalRate> rates = new HashMap<>();
    private final Map<VideoSize, int[]> plan = new HashMap<>();
    private final double[] backlogSeconds;
    private long lastDrainNanos = Long.MIN_VALUE;
    private long plannedNanos = Long.MIN_VALUE;

    /** @param slotThroughput videos per second one slot serves of a bucket (NaN: unknown) */
    public BucketAffineRouter(int slots, ToDoubleFunction<VideoSize> slotThroughput, int upstreamTasks) {
        if (slots < 1 || upstreamTasks < 1) {
            throw new IllegalArgumentException("routing needs at least one slot and one upstream task");
        }
        this.slots = slots;
        this.slotThroughput = slotThroughput;
        this.upstreamTasks = upstreamTasks;
        this.backlogSeconds = new double[slots];
    }

    public BucketAffineRouter(int slots, ToDoubleFunction<VideoSize> slotThroughput) {
        this(slots, slotThroughput, 1);
    }

    @Override
    public int route(VideoSize size, long nowNanos) {
        drain(nowNanos);
        boolean known = rates.containsKey(size);
        rates.computeIfAbsent(size, s -> new ArrivalRate()).arrived(nowNanos);
        if (!known || nowNanos - plannedNanos >= REPLAN_MILLIS * 1_000_000) {
            replan(nowNanos);
        }
        int[] set = plan.get(size);
        int best = set[0];
        for (int s : set) {
            if (backlogSeconds[s] < backlogSeconds[best]) {
                best = s;
            }
        }
        double cost = cost(size);
        if (backlogSeconds[best] > SPILL_REQUESTS * cost) {
            int least = 0;
            for (int s = 1; s < slots; s++) {
                if (backlogSeconds[s] < backlogSeconds[least]) {
                    least = s;
                }
            }
            if (backlogSeconds[least] < backlogSeconds[best] / 2) {
                best = least;
            }
        }
        backlogSeconds[best] += cost;
        return best;
    }

    /** The slots this bucket's requests go to, as last planned (for tests and the simulator's report). */
    public int[] slotsOf(VideoSize size) {
        int[] set = plan.get(size);
        return set == null ? new int[0] : set.clone();
    }

    private double cost(VideoSize size) {
        double t = slotThroughput.applyAsDouble(size);
        return upstreamTasks * (Double.isFinite(t) && t > 0 ? 1 / t : UNKNOWN_COST_SECONDS);
    }

    private void drain(long nowNanos) {
        if (lastDrainNanos != Long.MIN_VALUE) {
            double seconds = Math.max(0, nowNanos - lastDrainNanos) / 1e9;
            for (int s = 0; s < slots; s++) {
                backlogSeconds[s] = Math.max(0, backlogSeconds[s] - seconds);
            }
        }
        lastDrainNanos = nowNanos;
    }

    private void replan(long nowNanos) {
        plannedNanos = nowNanos;
        TreeMap<VideoSize, Double> rate = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        for (var e : rates.entrySet()) {
            // a bucket seen once has no rate yet: count it as one arrival per replanning period
            double r = e.getValue().perSecond(nowNanos);
            rate.put(e.getKey(), upstreamTasks * (r > 0 ? r : 1000.0 / REPLAN_MILLIS / 10));
        }
        double total = rate.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<VideoSize, Integer> wanted = new TreeMap<>(rate.comparator());
        for (var e : rate.entrySet()) {
            double t = slotThroughput.applyAsDouble(e.getKey());
            double n = Double.isFinite(t) && t > 0 ? Math.ceil(HEADROOM * e.getValue() / t)
                    : Math.round(slots * e.getValue() / total);
            wanted.put(e.getKey(), (int) Math.max(1, Math.min(slots, n)));
        }
        int sum = wanted.values().stream().mapToInt(Integer::intValue).sum();
        if (sum > slots) {
            wanted.replaceAll((k, n) -> Math.max(1, (int) Math.floor((double) n * slots / sum)));
        }
        int offset = 0;
        plan.clear();
        for (var e : wanted.entrySet()) {
            List<Integer> set = new ArrayList<>();
            for (int i = 0; i < e.getValue(); i++) {
                set.add((offset + i) % slots);
            }
            offset = (offset + e.getValue()) % slots;
            plan.put(e.getKey(), set.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
