package io.cogflow.scheduling;

import io.cogflow.model.pipeline.BatchProfile;
import io.cogflow.model.pipeline.VideoSize;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * How requests are spread over the generator slots.
 *
 * @param kind    {@link Kind#REBALANCE}: round robin, every bucket over every slot; {@link Kind#BUCKET_AFFINE}: each
 *                bucket over a set of slots sized to its measured arrival rate ({@link BucketAffineRouter})
 * @param profile what one slot serves per bucket, for sizing the sets; null: sets in proportion to the arrival
 *                rates alone
 * @param slots   how the slots batch: a slot serves a bucket at the profile's throughput for the largest batch
 *                its policy runs, not at the profile's best (a slot that does not batch never reaches that)
 */
public record RoutingPolicy(Kind kind, BatchProfile profile, SlotPolicy slots) implements Serializable {

    public enum Kind {
        REBALANCE, BUCKET_AFFINE;

        /** {@code rebalance} or {@code bucket-affine}, as configs spell them. */
        public static Kind parse(String name) {
            String n = name == null || name.isBlank() ? "rebalance" : name.trim().toLowerCase(Locale.ROOT);
            return switch (n) {
                case "rebalance" -> REBALANCE;
                case "bucket-affine" -> BUCKET_AFFINE;
                default -> throw new IllegalArgumentException("routing.policy must be rebalance or bucket-affine, got '"
                        + name + "'");
            };
        }

        public String configName() {
            return this == REBALANCE ? "rebalance" : "bucket-affine";
        }
    }

    public RoutingPolicy {
        if (kind == null || (profile != null && slots == null)) {
            throw new IllegalArgumentException("a routing policy needs its kind, and with a profile the slots' policy");
        }
    }

    /**
     * A router over {@code slots} slots.
     *
     * @param task          the upstream task's index: where round robin starts, so tasks do not all start at slot 0
     * @param upstreamTasks how many upstream tasks route, each with its own router
     */
    public SlotRouter router(int slots, int task, int upstreamTasks) {
        return switch (kind) {
            case REBALANCE -> new SlotRouter.RoundRobin(slots, task);
            case BUCKET_AFFINE -> new BucketAffineRouter(slots, this::slotThroughput, upstreamTasks);
        };
    }

    /**
     * Videos per second one slot serves of this bucket at the largest batch its policy runs (within what the
     * profile measured), or NaN without a profile covering it.
     */
    double slotThroughput(VideoSize size) {
        if (profile == null || !profile.covers(size)) {
            return Double.NaN;
        }
        List<BatchProfile.Point> points = profile.points(size);
        int batch = Math.max(1, Math.min(slots.maxBatch(size), points.get(points.size() - 1).batch()));
        return batch * 1000 / profile.batchMs(size, batch);
    }
}
