package io.cogflow.localflink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Flink standalone session cluster on loopback, as separate processes: a JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and N TaskManagers ({@code TaskManagerRunner}), started from the
 * Maven jars — no {@code flink-dist}, which Maven Central does not serve. It writes the cluster's
 * {@code config.yaml} and a Log4j configuration into its folder, keeps one log per process, stores checkpoints
 * under its folder (every TaskManager sees it: one machine), and serves Flink's REST API. TaskManagers can be
 * killed ({@code kill -9}) and started again, which is what the fault tests and {@code cogflow bench chaos} do.
 *
 * <p>The processes run Flink's classpath (written at build time: Flink's runtime, connector base, the Prometheus
 * reporter, Log4j) plus the {@linkplain Builder#library library jars} a Flink image keeps in {@code lib/} — for
 * cogflow, TensorFlow, JavaCPP and FFmpeg ({@code flink-jobs/target/flink-lib}, docs/job-jar.md). Jobs come as
 * jars over REST, so the cluster never sees the caller's classpath.
 */
public final class LocalFlinkCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalFlinkCluster.class);
    /** Classpath resource written by maven-dependency-plugin (build-classpath) when this module is built. */
    static final String CLASSPATH_RESOURCE = "flink-dist.classpath";
    static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    static final String JOB_MANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String RESOURCE_PARAMS_MAIN = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    /** How BashJavaUtils marks its answers, as Flink's scripts read them. */
    static final String EXEC_RESULT = "BASH_JAVA_UTILS_EXEC_RESULT:";
    /** Written into the cluster's folder once it is up: its REST address and process ids. */
    static final String STATE_FILE = "cluster.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Set to true to keep every temporary cluster folder (config, logs) for a post-mortem. */
    public static final String KEEP_FILES_PROPERTY = "cogflow.flink.keepFiles";

    private final Builder settings;
    private final Path dir;
    private final Path configDir;
    private final Path logDir;
    private final String classpath;
    private final int restPort;
    private final FlinkRest rest;
    private FlinkProcess jobManager;
    private final List<FlinkProcess> taskManagers = new ArrayList<>();
    private int started;

    private LocalFlinkCluster(Builder settings) throws IOException {
        this.settings = settings;
        this.dir = settings.dir == null ? Files.createTempDirectory("cogflow-flink-") : settings.dir;
        this.configDir = Files.createDirectories(dir.resolve("conf"));
        this.logDir = Files.createDirectories(dir.resolve("log"));
        Files.createDirectories(dir.resolve("checkpoints"));
        this.classpath = childClasspath(settings.libraries);
        this.restPort = settings.restPort == 0 ? freePort() : settings.restPort;
        this.rest = new FlinkRest(restUrl());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The REST API (and dashboard, where {@code flink-runtime-web} is on the classpath): {@code http://127.0.0.1:P}. */
    public URI restUrl() {
        return URI.create("http://127.0.0.1:" + restPort);
    }

    /** Where checkpoints go: a {@code file:} URI every TaskManager of this machine reaches. */
    public URI checkpointsUri() {
        return dir.resolve("checkpoints").toUri();
    }

    public Path directory() {
        return dir;
    }

    public Path logDirectory() {
        return logDir;
    }

    public FlinkProcess jobManager() {
        return jobManager;
    }

    /** The TaskManagers started so far, dead ones included, in the order they were started. */
    public synchronized List<FlinkProcess> taskManagers() {
        return List.copyOf(taskManagers);
    }

    private void start() throws IOException, InterruptedException {
        writeConfig();
        jobManager = FlinkProcess.start("jobmanager", classpath, configDir, logDir, settings.plugins,
                List.of("-Xmx" + settings.jobManagerHeap), JOB_MANAGER_MAIN,
                List.of("--configDir", configDir.toString()));
        for (int i = 0; i < settings.taskManagers; i++) {
            startTaskManager();
        }
        awaitTaskManagers(settings.taskManagers, settings.startTimeout);
        writeState();
    }

    /** The processes, for {@link #stopDetached}: {@code cluster.json} in the cluster's folder. */
    private synchronized void writeState() throws IOException {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("rest_url", restUrl().toString());
        // pid and start time: together they name the process, even once the pid is reused
        List<Map<String, Object>> processes = new ArrayList<>();
        List<FlinkProcess> all = new ArrayList<>(taskManagers);
        all.add(jobManager);
        for (FlinkProcess p : all) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("role", p.role());
            entry.put("pid", p.pid());
            entry.put("started", p.process().info().startInstant().map(Object::toString).orElse(""));
            processes.add(entry);
        }
        state.put("processes", processes);
        state.put("log_dir", logDir.toString());
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(STATE_FILE).toFile(), state);
    }

    /**
     * The REST address of a cluster started into {@code folder} and left running ({@code cogflow cluster up}),
     * or empty when none was.
     */
    public static java.util.Optional<URI> restUrlOf(Path folder) throws IOException {
        Path state = folder.resolve(STATE_FILE);
        if (!Files.exists(state)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(URI.create(JSON.readTree(state.toFile()).path("rest_url").asText()));
    }

    /**
     * Stops the processes of a cluster started into {@code folder} and left running: SIGTERM, then SIGKILL after
     * 15 s. Returns how many were still alive.
     */
    public static int stopDetached(Path folder) throws IOException, InterruptedException {
        Path state = folder.resolve(STATE_FILE);
        if (!Files.exists(state)) {
            return 0;
        }
        JsonNode s = JSON.readTree(state.toFile());
        int alive = 0;
        for (JsonNode p : s.path("processes")) {
            java.util.Optional<ProcessHandle> h = ProcessHandle.of(p.path("pid").asLong());
            // only our own: a pid reused by another program since started at another time, and is left alone
            if (h.isPresent() && h.get().info().startInstant().map(Object::toString).orElse("?")
                    .equals(p.path("started").asText())) {
                alive++;
                h.get().destroy();
                try {
                    h.get().onExit().get(15, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    h.get().destroyForcibly();
                }
            }
        }
        Files.delete(state);
        return alive;
    }

    /**
     * Starts one more TaskManager (as a cluster manager replaces a lost one); it registers with the JobManager on
     * its own — {@link #awaitTaskManagers} waits for that.
     */
    public synchronized FlinkProcess startTaskManager() throws IOException, InterruptedException {
        List<String> params = resourceParams();
        List<String> jvm = new ArrayList<>(Arrays.asList(params.get(0).trim().split("\\s+")));
        // a model's weights live outside the heap: JavaCPP's own limit (4 × -Xmx) would refuse new tensors once
        // a full-size model is loaded (docs/full-size.md)
        jvm.add("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0");
        String role = "taskmanager-" + (++started);
        List<String> args = new ArrayList<>(List.of("--configDir", configDir.toString()));
        args.addAll(Arrays.asList(params.get(1).trim().split("\\s+")));
        // its resource id is its role, so the REST API's taskmanager-id names the process
        args.addAll(List.of("-D", "taskmanager.resource-id=" + role));
        FlinkProcess tm = FlinkProcess.start(role, classpath, configDir, logDir, settings.plugins, jvm,
                TASK_MANAGER_MAIN, args);
        taskManagers.add(tm);
        return tm;
    }

    /**
     * The JVM options and {@code -D} settings a TaskManager needs, as Flink's scripts get them: from
     * {@code BashJavaUtils GET_TM_RESOURCE_PARAMS} (a bare TaskManagerRunner refuses to start without them).
     */
    private List<String> resourceParams() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, RESOURCE_PARAMS_MAIN, "GET_TM_RESOURCE_PARAMS", "--configDir", configDir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("BashJavaUtils GET_TM_RESOURCE_PARAMS failed: " + tail(out));
        }
        List<String> results = out.lines().filter(l -> l.startsWith(EXEC_RESULT))
                .map(l -> l.substring(EXEC_RESULT.length())).toList();
        if (results.size() < 2) {
            throw new IOException("BashJavaUtils GET_TM_RESOURCE_PARAMS printed no JVM and dynamic parameters: "
                    + tail(out));
        }
        return results.subList(results.size() - 2, results.size());
    }

    /** Waits until {@code n} TaskManagers are registered (REST {@code /overview}). */
    public void awaitTaskManagers(int n, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!jobManager.isAlive()) {
                throw new IOException("the JobManager exited (" + jobManager.process().exitValue() + "); its log: "
                        + tail(jobManager.log()) + tail(logDir.resolve("jobmanager.out")));
            }
            try {
                JsonNode overview = get("/overview");
                int registered = overview.path("taskmanagers").asInt();
                last = registered + " TaskManager(s)";
                if (registered >= n) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new IOException("the cluster did not have " + n + " TaskManager(s) within " + timeout.toSeconds()
                + " s (" + last + "); logs in " + logDir);
    }

    /**
     * A live TaskManager process that runs a subtask of the job's operator whose name contains {@code operator}
     * (as the REST API reports it: TaskManagers are registered under their role as resource id).
     *
     * @throws IllegalStateException when none does
     */
    public FlinkProcess taskManagerRunning(String jobId, String operator) throws IOException, InterruptedException {
        for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
            if (!v.path("name").asText().contains(operator)) {
                continue;
            }
            for (JsonNode tm : get("/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/taskmanagers")
                    .path("taskmanagers")) {
                for (FlinkProcess p : taskManagers()) {
                    if (p.isAlive() && p.role().equals(tm.path("taskmanager-id").asText())) {
                        return p;
                    }
                }
            }
        }
        throw new IllegalStateException("no live TaskManager runs " + operator + " of job " + jobId);
    }

    /** A GET on the REST API, as JSON. */
    public JsonNode get(String path) throws IOException, InterruptedException {
        return rest.get(path);
    }

    private void writeConfig() throws IOException {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.rpc.port", Integer.toString(freePort()));
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("jobmanager.memory.process.size", settings.jobManagerMemory);
        c.put("taskmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.host", "127.0.0.1");
        c.put("taskmanager.rpc.port", "0");
        c.put("taskmanager.data.port", "0");
        c.put("taskmanager.numberOfTaskSlots", Integer.toString(settings.slots));
        c.put("taskmanager.memory.process.size", settings.taskManagerMemory);
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", Integer.toString(restPort));
        c.put("execution.checkpointing.dir", checkpointsUri().toString());
        c.put("restart-strategy.type", "fixed-delay");
        c.put("restart-strategy.fixed-delay.attempts", "20");
        c.put("restart-strategy.fixed-delay.delay", "1 s");
        // a killed TaskManager is noticed by the JobManager's broken connection at once, but the ResourceManager
        // offers its slots until the heartbeat times out (50 s by default): short here, as on one machine
        c.put("heartbeat.interval", "1000");
        c.put("heartbeat.timeout", "5000");
        c.put("io.tmp.dirs", Files.createDirectories(dir.resolve("tmp")).toString());
        c.putAll(settings.properties);
        StringBuilder yaml = new StringBuilder("# written by cogflow's LocalFlinkCluster\n");
        c.forEach((k, v) -> yaml.append(k).append(": ").append(quote(v)).append('\n'));
        Files.writeString(configDir.resolve("config.yaml"), yaml);
        Files.writeString(configDir.resolve("log4j.properties"), """
                rootLogger.level = INFO
                rootLogger.appenderRef.file.ref = MainAppender
                appender.main.name = MainAppender
                appender.main.type = File
                appender.main.append = true
                appender.main.fileName = ${sys:log.file}
                appender.main.layout.type = PatternLayout
                appender.main.layout.pattern = %d{HH:mm:ss.SSS} %-5level %-40.40logger{1.} [%t] - %msg%n
                logger.kafka.name = org.apache.kafka
                logger.kafka.level = WARN
                """);
    }

    /** A YAML scalar for a config value: plain when safe, else single-quoted. */
    static String quote(String v) {
        return v.matches("[A-Za-z0-9_./:@ -]+") && !v.contains(": ") && !v.startsWith(" ") && !v.endsWith(" ")
                ? v : "'" + v.replace("'", "''") + "'";
    }

    @Override
    public void close() throws InterruptedException {
        List<FlinkProcess> all = new ArrayList<>(taskManagers());
        if (jobManager != null) {
            all.add(jobManager);
        }
        for (FlinkProcess p : all) {
            p.stop(15);
        }
        if (settings.dir == null && !settings.keepFiles && !Boolean.getBoolean(KEEP_FILES_PROPERTY)) {
            deleteQuietly(dir);
        }
    }

    /** The generated Flink classpath, then the library jars. */
    static String childClasspath(List<Path> libraries) {
        String flink;
        try (InputStream in = LocalFlinkCluster.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + CLASSPATH_RESOURCE + " is missing next to "
                        + LocalFlinkCluster.class.getName() + ": build the local-flink module with Maven");
            }
            flink = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> entries = new ArrayList<>(Arrays.asList(flink.split(File.pathSeparator)));
        libraries.forEach(l -> entries.add(l.toAbsolutePath().toString()));
        List<String> missing = entries.stream().filter(e -> !e.isBlank() && !Files.exists(Path.of(e))).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the Flink classpath names " + missing.size() + " missing file(s), e.g. "
                    + missing.get(0) + "; rebuild (mvn package) so Maven resolves them again");
        }
        return String.join(File.pathSeparator, entries);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            return Files.exists(file) ? tail(Files.readString(file)) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return lines.subList(Math.max(0, lines.size() - 20), lines.size()).stream()
                .collect(Collectors.joining("\n", "\n", "\n"));
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", root, e.getMessage());
        }
    }

    /** The cluster's shape; {@link #start()} writes the config and starts the processes. */
    public static final class Builder {
        private int taskManagers = 1;
        private int slots = 2;
        private String jobManagerMemory = "1024m";
        private String jobManagerHeap = "512m";
        private String taskManagerMemory = "2048m";
        private int restPort;
        private Path dir;
        private boolean keepFiles;
        private Duration startTimeout = Duration.ofSeconds(90);
        private final List<Path> libraries = new ArrayList<>();
        private Path plugins;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder taskManagers(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("taskManagers must be 0 or more: " + n);
            }
            taskManagers = n;
            return this;
        }

        public Builder slotsPerTaskManager(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("slotsPerTaskManager must be 1 or more: " + n);
            }
            slots = n;
            return this;
        }

        /** {@code taskmanager.memory.process.size} (default 2048m: a model and TensorFlow in every TaskManager). */
        public Builder taskManagerMemory(String size) {
            taskManagerMemory = Objects.requireNonNull(size);
            return this;
        }

        /** The REST port; 0 (default): a free one. */
        public Builder restPort(int port) {
            restPort = port;
            return this;
        }

        /** The cluster's folder (config, logs, checkpoints), kept after {@link #close()}; default a temporary one. */
        public Builder directory(Path folder) {
            dir = folder;
            return this;
        }

        /** Keep a temporary folder after close (to read the logs). */
        public Builder keepFiles(boolean keep) {
            keepFiles = keep;
            return this;
        }

        /** Jars for every process's classpath: what a Flink image keeps in {@code lib/}. */
        public Builder library(Path jar) {
            libraries.add(jar);
            return this;
        }

        public Builder libraries(List<Path> jars) {
            libraries.addAll(jars);
            return this;
        }

        /**
         * A plugins folder ({@code FLINK_PLUGINS_DIR}: one sub-folder per plugin), as a distribution's
         * {@code plugins/}: external-resource drivers such as cogflow's GPU driver load only from there.
         */
        public Builder plugins(Path folder) {
            plugins = folder;
            return this;
        }

        /** A further {@code config.yaml} entry (overrides the defaults). */
        public Builder property(String key, String value) {
            properties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            startTimeout = timeout;
            return this;
        }

        /** Starts the JobManager and the TaskManagers and waits until every TaskManager has registered. */
        public LocalFlinkCluster start() throws IOException, InterruptedException {
            LocalFlinkCluster cluster = new LocalFlinkCluster(this);
            try {
                cluster.start();
                return cluster;
            } catch (IOException | InterruptedException | RuntimeException e) {
                cluster.close();
                throw e;
            }
        }
    }
}
