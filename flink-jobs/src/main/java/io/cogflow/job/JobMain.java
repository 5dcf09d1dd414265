package io.cogflow.job;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;

/**
 * Entry point for a real Flink cluster: {@code flink run -c io.cogflow.job.JobMain cogflow-job.jar --config
 * configs/cluster.yaml}. The cluster's configuration decides slots, GPUs and restarts; the YAML the job's own
 * settings.
 */
public final class JobMain {
    private JobMain() {
    }

    public static void main(String[] args) throws Exception {
        Path config = null;
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--config")) {
                config = Path.of(args[i + 1]);
            }
        }
        if (config == null) {
            throw new IllegalArgumentException("usage: JobMain --config <configs/*.yaml>");
        }
        JobConfig c = JobConfig.load(config);
        SubmissionChecks.refuseUnsafe(c);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        CogflowJob.build(env, c);
        env.execute("cogflow (" + c.kafka().requestsTopic() + " -> " + c.kafka().resultsTopic() + ")");
    }
}
