package io.cogflow.job;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each generator subtask warms its model up in {@code open()}, before the first request, and reports how long that
 * took as its {@code warmUpMillis} gauge — read here through Flink's metric reporter, as an operator would.
 */
class WarmUpMetricTest {

    @Test
    void everyGeneratorSubtaskReportsItsWarmUpTime() throws Exception {
        try (JobFixture fixture = new JobFixture()) {
            // the serving default (XLA on denoise), which the other job tests turn off
            JobConfig config = fixture.config("wu1").withModel(new JobConfig.Model(TestModels.plumbing().toString(), 1));
            assertThat(config.model().xla()).containsExactly("denoise");
            InMemoryReporter metrics = InMemoryReporter.createWithRetainedMetrics();
            try (LocalJob job = LocalJob.start(config, "wu1", metrics.addToConfiguration(new Configuration()))) {
                List<Long> values = List.of();
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (values.size() < config.generation().slots() && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                    values = JobFixture.gaugeValues(metrics, job, GenerateFunction.WARM_UP_GAUGE);
                }
                assertThat(values).as("one warm-up gauge per generator subtask")
                        .hasSize(config.generation().slots());
                // the three sizes at up to 4 requests ran through the real model: that takes time
                assertThat(values).allMatch(ms -> ms > 0);
            }
        }
    }
}
