package io.cogflow.job;

import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The job submitted to a running Flink session cluster over its REST API, with the thin job jar
 * ({@code flink-jobs/target/cogflow-job.jar}): what {@code flink run} does, from Java. The graph is built here, as
 * {@code flink run} builds it on the client; the cluster loads the job's classes from the jar, and TensorFlow and
 * FFmpeg from its {@code lib/} (docs/job-jar.md). The same checks as a local start run first: the output topics
 * take what the job writes, and no other job writes with its transactional-id prefix.
 */
public final class RemoteJob {
    private final JobClient client;
    private final URI cluster;

    private RemoteJob(JobClient client, URI cluster) {
        this.client = client;
        this.cluster = cluster;
    }

    /**
     * @param cluster the JobManager's REST address, {@code http://HOST:8081}
     * @param jobJar  the job jar, shipped with the submission
     */
    public static RemoteJob submit(JobConfig config, String name, URI cluster, Path jobJar) throws Exception {
        return submit(config, name, cluster, jobJar, List.of(), GeneratorFactory.TENSORFLOW);
    }

    /**
     * @param moreJars   further jars the job's classes need (a fault injector's, for {@code bench chaos})
     * @param generators how the generator subtasks load the model; its class must be in one of the jars
     */
    public static RemoteJob submit(JobConfig config, String name, URI cluster, Path jobJar, List<Path> moreJars,
                                   GeneratorFactory generators) throws Exception {
        if (!Files.isRegularFile(jobJar)) {
            throw new IllegalArgumentException("no job jar at " + jobJar + ": build it with mvn -B -DskipTests package");
        }
        if (cluster.getHost() == null || cluster.getPort() < 0) {
            throw new IllegalArgumentException("the cluster must be a REST address with host and port, e.g. "
                    + "http://127.0.0.1:8081: " + cluster);
        }
        SubmissionChecks.refuseUnsafe(config);
        List<String> jars = new ArrayList<>(List.of(jobJar.toAbsolutePath().toString()));
        for (Path jar : moreJars) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("not a jar file: " + jar);
            }
            jars.add(jar.toAbsolutePath().toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(cluster.getHost(),
                cluster.getPort(), CogflowJob.flinkConfiguration(), jars.toArray(String[]::new));
        CogflowJob.build(env, config, generators);
        return new RemoteJob(env.executeAsync(name), cluster);
    }

    public JobID jobId() {
        return client.getJobID();
    }

    public JobClient client() {
        return client;
    }

    /** Where the job shows in Flink's web dashboard (when the cluster serves one; the REST API otherwise). */
    public URI dashboardUrl() {
        return cluster.resolve("/#/job/running/" + client.getJobID() + "/overview");
    }

    /** Cancels the job. */
    public void cancel() throws Exception {
        client.cancel().get();
    }
}
