package io.cogflow.job;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job in an embedded Flink MiniCluster (the demo and integration tests): one TaskManager with a slot per
 * generator subtask plus one for the CPU operators.
 */
public final class LocalJob implements AutoCloseable {
    private final JobClient client;

    private LocalJob(JobClient client) {
        this.client = client;
    }

    public static LocalJob start(JobConfig config, String name) throws Exception {
        Configuration conf = CogflowJob.flinkConfiguration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, config.generation().slots() + 1);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        CogflowJob.build(env, config);
        return new LocalJob(env.executeAsync(name));
    }

    public JobClient client() {
        return client;
    }

    @Override
    public void close() throws Exception {
        try {
            client.cancel().get();
        } catch (Exception e) {
            // already finished or failed: nothing to cancel
        }
    }
}
