package io.cogflow.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.cogflow.client.RequestProducer;
import io.cogflow.localflink.FlinkProcess;
import io.cogflow.localflink.LocalFlinkCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job jar on a real standalone cluster — a JobManager and two TaskManagers, each its own JVM, TensorFlow and
 * FFmpeg in their classpath as in a Flink image's {@code lib/} — with a real broker. A TaskManager running a
 * generator is killed with {@code kill -9} in the middle of the work: the job restarts from its checkpoint on what
 * is left, and every request still gets exactly one result under {@code read_committed}. Then the same jar is
 * submitted again to the same cluster and runs (native libraries bound once per JVM, FLINK-13958).
 */
class ClusterFaultITCase {
    private static JobFixture fixture;
    private static LocalFlinkCluster cluster;
    private static Path jobJar;

    @BeforeAll
    static void start() throws Exception {
        jobJar = Path.of(System.getProperty("cogflow.jobJar", "target/cogflow-job.jar"));
        Path lib = Path.of(System.getProperty("cogflow.flinkLib", "target/flink-lib"));
        List<Path> libraries;
        try (Stream<Path> jars = Files.list(lib)) {
            libraries = jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        fixture = new JobFixture();
        // three slots each: the job (two generator subtasks and the CPU operators) fits on one TaskManager
        cluster = LocalFlinkCluster.builder().taskManagers(2).slotsPerTaskManager(3).libraries(libraries)
                .taskManagerMemory("1536m").start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private static JobConfig onCluster(String prefix) {
        JobConfig c = fixture.config(prefix);
        return c.withModel(new JobConfig.Model(Path.of(c.model().dir()).toAbsolutePath().normalize().toString(), 1))
                .withCheckpoints(new JobConfig.Checkpoints(cluster.checkpointsUri().toString()));
    }

    @Test
    void aTaskManagerKilledMidGenerationLosesNothingAndDuplicatesNothing() throws Exception {
        JobConfig config = onCluster("cl1");
        RemoteJob job = RemoteJob.submit(config, "cluster-fault", cluster.restUrl(), jobJar);
        List<String> ids = new ArrayList<>();
        try (RequestProducer producer = new RequestProducer(fixture.broker().bootstrapServers(),
                config.kafka().requestsTopic(), Map.of())) {
            for (int i = 0; i < 60; i++) {
                String id = "cl-" + i;
                producer.send(JobFixture.request(id, JobFixture.SIZES[i % 2], 40));
                ids.add(id);
            }
            producer.flush();
        }
        // some results committed, the rest still to generate: kill the TaskManager a generator subtask runs on
        fixture.collect(config, 8, 0, Duration.ofMinutes(4));
        FlinkProcess victim = cluster.taskManagerRunning(job.jobId().toString(), "generate");
        long killedAt = System.nanoTime();
        victim.kill();
        System.out.printf("killed %s (pid %d) with kill -9%n", victim.role(), victim.pid());

        JobFixture.Collected c = fixture.collect(config, ids.size(), 0, Duration.ofMinutes(6));
        System.out.printf("after the kill: %d distinct results, %d duplicates, %.1f s to the last%n",
                c.results().size(), c.duplicates(), (System.nanoTime() - killedAt) / 1e9);
        assertThat(c.succeeded()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(c.duplicates()).isZero();
        JsonNode detail = cluster.get("/jobs/" + job.jobId());
        assertThat(detail.path("state").asText()).isEqualTo("RUNNING");
        // the kill hit the running job: its exception history has the lost TaskManager
        JsonNode history = cluster.get("/jobs/" + job.jobId() + "/exceptions").path("exceptionHistory")
                .path("entries");
        System.out.println("exception history: " + history.toString().substring(0,
                Math.min(600, history.toString().length())));
        assertThat(history.size()).as("failures the job went through").isPositive();
        job.cancel();
    }

    /** The same job jar a second time on the same cluster: its native libraries are the cluster's, loaded once. */
    @Test
    void theJobJarRunsAgainOnTheSameCluster() throws Exception {
        for (String prefix : List.of("cl2a", "cl2b")) {
            JobConfig config = onCluster(prefix);
            RemoteJob job = RemoteJob.submit(config, prefix, cluster.restUrl(), jobJar);
            List<String> ids = new ArrayList<>();
            try (RequestProducer producer = new RequestProducer(fixture.broker().bootstrapServers(),
                    config.kafka().requestsTopic(), Map.of())) {
                for (int i = 0; i < 6; i++) {
                    producer.send(JobFixture.request(prefix + "-" + i, JobFixture.SIZES[0], 2));
                    ids.add(prefix + "-" + i);
                }
            }
            JobFixture.Collected c = fixture.collect(config, ids.size(), 0, Duration.ofMinutes(3));
            assertThat(c.succeeded()).as(prefix).containsExactlyInAnyOrderElementsOf(ids);
            job.cancel();
            awaitCancelled(job);
        }
    }

    private static void awaitCancelled(RemoteJob job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String state = cluster.get("/jobs/" + job.jobId()).path("state").asText();
            if (state.equals("CANCELED")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + job.jobId() + " was not cancelled within 60 s");
    }
}
