package io.cogflow.bench.corpus;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusGaugeTest {
    @Test
    void theLargestSampleOfTheMetricAndNoOther() {
        String text = """
                # HELP flink_jobmanager_job_numRestarts numRestarts (scope: jobmanager_job)
                # TYPE flink_jobmanager_job_numRestarts gauge
                flink_jobmanager_job_numRestarts{job_id="a",job_name="x {y}",} 2.0
                flink_jobmanager_job_numRestarts{job_id="b",job_name="z",} 5.0
                flink_jobmanager_job_numRestartsTotal 99.0
                flink_taskmanager_numRestarts 77
                """;
        assertThat(PrometheusGauge.max(text, "flink_jobmanager_job_numRestarts")).hasValue(5.0);
        assertThat(PrometheusGauge.max("plain 3\n", "plain")).hasValue(3.0);
        assertThat(PrometheusGauge.max(text, "flink_jobmanager_job_uptime")).isEmpty();
    }
}
