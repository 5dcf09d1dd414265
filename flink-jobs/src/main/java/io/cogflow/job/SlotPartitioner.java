package io.cogflow.job;

import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.scheduling.RoutingPolicy;
import io.cogflow.scheduling.SlotRouter;
import org.apache.flink.api.common.functions.Partitioner;

import java.util.HashMap;
import java.util.Map;

/**
 * Routes each accepted request to a generator slot with a {@link SlotRouter}, keyed by its bucket (the video size).
 * Every upstream task has its own instance, and so its own router over what that task sees; routing decides
 * only where a request runs, never what it produces (its seed fixes the video), so a router's state is not
 * checkpointed — after a restart it learns the rates again.
 */
final class SlotPartitioner implements Partitioner<String> {
    private final RoutingPolicy policy;
    private final int upstreamTasks;
    private transient SlotRouter router;
    private transient int slots;
    private transient Map<String, VideoSize> sizes;

    SlotPartitioner(RoutingPolicy policy, int upstreamTasks) {
        this.policy = policy;
        this.upstreamTasks = upstreamTasks;
    }

    @Override
    public int partition(String bucket, int numPartitions) {
        if (router == null || slots != numPartitions) {
            slots = numPartitions;
            sizes = new HashMap<>();
            router = policy.router(numPartitions, java.util.concurrent.ThreadLocalRandom.current().nextInt(numPartitions),
                    upstreamTasks);
        }
        return router.route(sizes.computeIfAbsent(bucket, VideoSize::parse), System.nanoTime());
    }
}
