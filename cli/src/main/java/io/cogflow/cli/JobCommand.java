package io.cogflow.cli;

import io.cogflow.client.ClientProperties;
import io.cogflow.job.JobConfig;
import io.cogflow.job.LocalJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code cogflow job}. */
@Command(name = "job", mixinStandardHelpOptions = true,
        description = {"Run the streaming job against a Kafka cluster. With --local, in an embedded Flink "
                + "MiniCluster until interrupted; otherwise print how to build the job jar and submit it to a Flink "
                + "cluster (mvn package; flink run flink-jobs/target/cogflow-job.jar ...)."})
final class JobCommand implements Callable<Integer> {
    /** How long the start-up check waits for the Kafka cluster to answer. */
    private static final Duration REACHABLE_WITHIN = Duration.ofSeconds(10);
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, description = "The job config (configs/*.yaml).")
    Path config;

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
        JobConfig c = JobConfig.load(config);
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
}
