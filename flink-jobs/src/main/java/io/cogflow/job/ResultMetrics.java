package io.cogflow.job;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The one name for "results written, by status": the validator counts the results it answers at once (REJECTED,
 * EXPIRED), the encoder the rest, both as {@code status=<STATUS>.results}, so a dashboard sums one metric over
 * operators ({@code flink_taskmanager_job_task_operator_status_results{status=...}} in Prometheus).
 */
final class ResultMetrics {
    static final String GROUP = "status";
    static final String COUNTER = "results";

    private ResultMetrics() {
    }

    static Counter counter(MetricGroup operator, ResultStatus status) {
        return operator.addGroup(GROUP, status.name()).counter(COUNTER);
    }
}
