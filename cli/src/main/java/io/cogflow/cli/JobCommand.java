package io.cogflow.cli;

import io.cogflow.localflink.FlinkRest;
import io.cogflow.client.ClientProperties;
import io.cogflow.job.JobConfig;
import io.cogflow.job.LocalJob;
import io.cogflow.job.RemoteJob;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code cogflow job}. */
@Command(name = "job", mixinStandardHelpOptions = true,
        description = {"Run the streaming job against a Kafka cluster. With --cluster, submit the job jar to a Flink "
                + "session cluster over REST and print the job id; with --local, run it in an embedded Flink "
                + "MiniCluster until interrupted; with neither, print how to build the job jar and submit it "
                + "(mvn package; flink run flink-jobs/target/cogflow-job.jar ...). 'job status' and 'job cancel' "
                + "ask a cluster about its jobs."},
        subcommands = {JobCommand.Status.class, JobCommand.Cancel.class})
final class JobCommand implements Callable<Integer> {
    /** How long the start-up check waits for the Kafka cluster to answer. */
    private static final Duration REACHABLE_WITHIN = Duration.ofSeconds(10);
    @Spec
    CommandSpec spec;

    @Option(names = "--config", description = "The job config (configs/*.yaml); required to run or submit the job.")
    Path config;

    @Option(names = "--cluster", description = "A Flink session cluster's REST address (http://HOST:8081): submit "
            + "the job jar there ('cogflow cluster up' starts one on this machine).")
    URI cluster;

    @Option(names = "--jar", description = "With --cluster: the job jar (default flink-jobs/target/cogflow-job.jar).")
    Path jar;

    @Option(names = "--local", description = "Run in an embedded MiniCluster in this process.")
    boolean local;

    @Option(names = "--metrics-port", description = "With --local: where Prometheus scrapes /metrics, a port or a "
            + "range (default: the config's metrics.prometheus_port, else " + DEFAULT_METRICS_PORT + ").")
    String metricsPort;

    /** Flink's own default for its Prometheus reporter. */
    static final String DEFAULT_METRICS_PORT = "9249";

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (config == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: "
                    + "'--config=<config>'");
        }
        if (local && cluster != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--local and --cluster exclude "
                    + "each other");
        }
        JobConfig c = JobConfig.load(config);
        if (cluster != null) {
            warnIfUnreachable(c.kafka());
            RemoteJob job = RemoteJob.submit(c, "cogflow (" + c.kafka().requestsTopic() + " -> "
                    + c.kafka().resultsTopic() + ")", cluster, jar != null ? jar : RepositoryPaths.jobJar());
            out.println("job " + job.jobId() + " submitted to " + cluster);
            out.println("dashboard " + job.dashboardUrl());
            out.println("status: ./cogflow job status --cluster " + cluster + " " + job.jobId());
            out.flush();
            return 0;
        }
        if (!local) {
            out.println("Build the job jar and the jars for the Flink image's lib/ (docs/job-jar.md):");
            out.println("  mvn -B -DskipTests package   # -> flink-jobs/target/cogflow-job.jar, flink-jobs/target/flink-lib/");
            out.println("Put flink-jobs/target/flink-lib/*.jar into lib/ of every Flink node (TensorFlow, FFmpeg: native code");
            out.println("must be loaded once per JVM, not by each job's classloader).");
            out.println("Submit it (the model folder " + c.model().dir() + " must exist on every TaskManager):");
            out.println("  flink run -c io.cogflow.job.JobMain flink-jobs/target/cogflow-job.jar --config " + config);
            out.flush();
            return 0;
        }
        String port = metricsPort != null ? metricsPort
                : c.metrics().prometheusPort() != null ? c.metrics().prometheusPort() : DEFAULT_METRICS_PORT;
        c = c.withMetrics(new JobConfig.Metrics(port));
        warnIfUnreachable(c.kafka());
        try (LocalJob job = LocalJob.start(c, "cogflow")) {
            out.println("job " + job.client().getJobID() + " running; reading " + c.kafka().requestsTopic() + " on "
                    + c.kafka().bootstrapServers() + ", metrics for Prometheus on port " + port + " (/metrics) "
                    + "(Ctrl-C to stop)");
            out.flush();
            job.client().getJobExecutionResult().get();
        }
        return 0;
    }

    /**
     * The job's Kafka clients retry an unreachable cluster forever, and their reconnect warnings are below the
     * command line's log level; one check at start tells the user instead of leaving the job silently waiting.
     */
    private void warnIfUnreachable(JobConfig.Kafka k) {
        Map<String, Object> p = ClientProperties.forClient("start-up check", k.clientProperties())
                .fromSetting(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers(), "kafka.bootstrap_servers")
                .toMap();
        Admin admin = Admin.create(p);
        try {
            admin.describeCluster().nodes().get(REACHABLE_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            spec.commandLine().getErr().println("cogflow: Kafka at " + k.bootstrapServers() + " did not answer within "
                    + REACHABLE_WITHIN.toSeconds() + " s (" + (e.getCause() == null ? "no answer" : e.getCause()
                    .getMessage()) + "); the job starts anyway and keeps trying (--verbose shows the clients' "
                    + "attempts)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "A job's state on a Flink cluster, or every job's when no id is given.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--cluster", required = true, description = "The cluster's REST address (http://HOST:8081).")
        URI cluster;

        @Parameters(arity = "0..1", paramLabel = "JOB_ID", description = "The job (default: all).")
        String jobId;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            FlinkRest api = new FlinkRest(cluster);
            for (JsonNode j : api.get("/jobs/overview").path("jobs")) {
                if (jobId == null || jobId.equals(j.path("jid").asText())) {
                    out.printf("job %s %-10s %s%n", j.path("jid").asText(), j.path("state").asText(),
                            Printable.of(j.path("name").asText()));
                    if (jobId != null) {
                        return 0;
                    }
                }
            }
            if (jobId != null) {
                out.println("no job " + Printable.of(jobId) + " on " + cluster);
                return Cogflow.FAIL;
            }
            return 0;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a job on a Flink cluster.")
    static final class Cancel implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--cluster", required = true, description = "The cluster's REST address (http://HOST:8081).")
        URI cluster;

        @Parameters(paramLabel = "JOB_ID", description = "The job to cancel.")
        String jobId;

        @Override
        public Integer call() throws Exception {
            if (!jobId.matches("[0-9a-f]{32}")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a job id is 32 hex digits: "
                        + Printable.of(jobId));
            }
            new FlinkRest(cluster).cancel(jobId);
            spec.commandLine().getOut().println("job " + jobId + " cancelled");
            return 0;
        }
    }
}
