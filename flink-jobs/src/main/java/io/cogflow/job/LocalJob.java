package io.cogflow.job;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

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
        Configuration conf = CogflowJob.flinkConfiguration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, config.generation().slots() + 1);
        String port = config.metrics().prometheusPort();
        if (port != null) {
            // from the classpath: a MiniCluster finds reporter factories through ServiceLoader, without plugins
            conf.set(reporterOption("factory.class"), "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            conf.set(reporterOption("port"), port);
        }
        conf.addAll(flink);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        CogflowJob.build(env, config);
        return new LocalJob(env.executeAsync(name));
    }

    private static ConfigOption<String> reporterOption(String key) {
        return ConfigOptions.key("metrics.reporter." + PROMETHEUS_REPORTER + "." + key).stringType().noDefaultValue();
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
