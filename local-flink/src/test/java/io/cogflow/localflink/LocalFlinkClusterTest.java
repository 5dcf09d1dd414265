package io.cogflow.localflink;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Real processes: a JobManager and TaskManagers from the Maven jars, one killed and replaced. */
class LocalFlinkClusterTest {
    @Test
    void startsSeparateProcessesServesRestAndSurvivesALostTaskManager() throws Exception {
        try (LocalFlinkCluster cluster = LocalFlinkCluster.builder().taskManagers(2).slotsPerTaskManager(2)
                .taskManagerMemory("1024m").start()) {
            JsonNode overview = cluster.get("/overview");
            assertThat(overview.path("taskmanagers").asInt()).isEqualTo(2);
            assertThat(overview.path("slots-total").asInt()).isEqualTo(4);
            assertThat(overview.path("flink-version").asText()).startsWith("2.2");
            long self = ProcessHandle.current().pid();
            assertThat(cluster.taskManagers()).extracting(FlinkProcess::pid).doesNotContain(self)
                    .doesNotHaveDuplicates();
            assertThat(cluster.jobManager().pid()).isNotEqualTo(self);

            cluster.taskManagers().get(0).kill();
            assertThat(cluster.taskManagers().get(0).isAlive()).isFalse();
            // the JobManager notices the lost TaskManager; a replacement registers
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (cluster.get("/overview").path("taskmanagers").asInt() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(cluster.get("/overview").path("taskmanagers").asInt()).isEqualTo(1);
            cluster.startTaskManager();
            cluster.awaitTaskManagers(2, Duration.ofSeconds(60));
            assertThat(cluster.taskManagers()).hasSize(3);
            assertThat(cluster.logDirectory().resolve("taskmanager-3.log")).exists();
        }
    }
}
