package io.cogflow.localflink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One JVM of the cluster — the JobManager or a TaskManager — started from the Flink classpath with the cluster's
 * config folder, its output in a log file of its own.
 *
 * @param role {@code jobmanager} or {@code taskmanager-N}
 * @param log  where its Log4j output and its stdout/stderr go
 */
public record FlinkProcess(String role, Process process, Path log) {

    /**
     * The module opens a Flink distribution's {@code config.yaml} passes every JVM on Java 17
     * ({@code env.java.default-opts.all}): Flink's serializers and network stack reflect into these.
     */
    static final List<String> JAVA_17_OPENS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    /** Starts {@code mainClass} in a new JVM; {@code jvm} are JVM options, {@code args} the program's. */
    static FlinkProcess start(String role, String classpath, Path configDir, Path logDir, Path plugins,
                              List<String> jvm, String mainClass, List<String> args) throws IOException {
        Path log = logDir.resolve(role + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.addAll(JAVA_17_OPENS);
        command.add("-Dlog.file=" + log);
        command.add("-Dlog4j.configurationFile=" + configDir.resolve("log4j.properties").toUri());
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve(role + ".out").toFile()));
        if (plugins != null) {
            // where Flink's plugin manager looks (external-resource drivers, reporters), as in a distribution
            builder.environment().put("FLINK_PLUGINS_DIR", plugins.toAbsolutePath().toString());
        }
        Process p = builder.start();
        return new FlinkProcess(role, p, log);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook runs, as when a machine dies. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then SIGKILL after {@code seconds}. */
    void stop(int seconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
