package io.cogflow.job;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;

/**
 * The job in an embedded Flink MiniCluster (the demo, {@code job --local}, integration tests): one TaskManager with
 * a slot per generator subtask plus one for the CPU operators. With {@code metrics.prometheus_port} set, Flink's
 * Prometheus reporter serves the job's metrics there, as it would on a cluster.
 */
public final class LocalJob implements AutoCloseable {
    /** The reporter's name in Flink's configuration ({@code metrics.reporter.prom.*}), as Flink's docs name it. */
    static final String PROMETHEUS_REPORTER = "prom";

    private final JobClient client;

    private LocalJob(JobClient client) {
        this.client = client;
    }

    public static LocalJob start(JobConfig config, String name) throws Exception {
        return start(config, name, new Configuration());
    }

    /** @param flink further Flink settings for the embedded cluster (e.g. another metric reporter) */
    public static LocalJob start(JobConfig config, String name, Configuration flink) throws Exception {
        return start(config, name, flink, GeneratorFactory.TENSORFLOW);
    }

    /** @param generators how the generator subtasks load the model (a test wraps the real one) */
    public static LocalJob start(JobConfig config, String name, Configuration flink, GeneratorFactory generators)
            throws Exception {
        Configuration conf = CogflowJob.flinkConfiguration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, config.generation().slots() + 1);
        // accumulators (the model load, modelLoadMs()) reach the client with the TaskManager's heartbeat: every
        // 10 s by default, every second in this one process, where a heartbeat costs nothing
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        String port = config.metrics().prometheusPort();
        if (port != null) {
            // from the classpath: a MiniCluster finds reporter factories through ServiceLoader, without plugins
            conf.set(reporterOption("factory.class"), "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            conf.set(reporterOption("port"), port);
        }
        conf.addAll(flink);
        SubmissionChecks.refuseUnsafe(config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        CogflowJob.build(env, withCheckpointFolder(config), generators);
        return new LocalJob(env.executeAsync(name));
    }

    /**
     * The config with checkpoints in a working folder unless it names one: as files, a few large requests in flight
     * do not overflow the JobManager's heap storage. Flink writes each job under its own id there and deletes it
     * when the job is cancelled.
     */
    static JobConfig withCheckpointFolder(JobConfig config) {
        if (config.checkpoints().dir() != null) {
            return config;
        }
        Path folder = Path.of(System.getProperty("java.io.tmpdir"), "cogflow-checkpoints");
        return config.withCheckpoints(new JobConfig.Checkpoints(folder.toUri().toString()));
    }

    private static ConfigOption<String> reporterOption(String key) {
        return ConfigOptions.key("metrics.reporter." + PROMETHEUS_REPORTER + "." + key).stringType().noDefaultValue();
    }

    public JobClient client() {
        return client;
    }

    /**
     * How long the slowest generator subtask took to load the model, as the job reports it: waits up to
     * {@code wait} for the report (it comes with a heartbeat after the load); empty when none came.
     */
    public OptionalLong modelLoadMs(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                if (client.getAccumulators().get().get(GenerateFunction.MODEL_LOAD_ACCUMULATOR) instanceof Long ms) {
                    return OptionalLong.of(ms);
                }
            } catch (ExecutionException e) {
                // the job is gone: it will report nothing more
                return OptionalLong.empty();
            }
            if (System.nanoTime() >= deadline) {
                return OptionalLong.empty();
            }
            Thread.sleep(100);
        }
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
