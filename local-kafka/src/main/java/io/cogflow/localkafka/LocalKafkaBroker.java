package io.cogflow.localkafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node Kafka 4 KRaft broker (combined broker + controller) in a child JVM, for the demo and for
 * integration tests. Nothing is downloaded at run time: the child runs from the {@code org.apache.kafka:kafka_2.13}
 * jars Maven resolved for this module (see {@code docs/kafka.md}); a separate JVM keeps Scala 2.13, log4j2 and the
 * broker's Jackson away from the caller's classpath.
 *
 * <pre>{@code
 * try (LocalKafkaBroker kafka = LocalKafkaBroker.builder().start()) {
 *     kafka.createTopics(List.of(new NewTopic("requests", 1, (short) 1)));
 *     Map<String, Object> props = new HashMap<>(kafka.clientProperties());
 *     ...
 * }
 * }</pre>
 *
 * <h2>Stopping and starting again (fault tests)</h2>
 * The broker process can be stopped and started again on the same data directory, with the same configuration and
 * at the same address, so clients that keep the bootstrap address (a Flink job's Kafka source, transactional sinks,
 * a {@code KafkaProducer} created before the stop) reconnect by themselves:
 * <pre>{@code
 * kafka.stop();    // SIGTERM, clean (controlled) shutdown; SIGKILL if it takes more than 30 s
 * kafka.start();   // same server.properties, same ports, same log folders; returns once it serves requests
 * kafka.kill();    // SIGKILL: a crash; committed records survive, the broker recovers its logs on start()
 * kafka.restart(); // stop() + start()
 * }</pre>
 * The states and the calls each allows:
 * <table>
 *   <caption>lifecycle</caption>
 *   <tr><th>state</th><th>allowed</th><th>refused with {@link IllegalStateException}</th></tr>
 *   <tr><td>RUNNING (after {@link Builder#start()} or {@link #start()})</td>
 *       <td>{@link #stop()}, {@link #kill()}, {@link #restart()} (to STOPPED / RUNNING), {@link #createTopics},
 *           {@link #close()}</td>
 *       <td>{@link #start()} (while the process is alive)</td></tr>
 *   <tr><td>STOPPED (after {@link #stop()} or {@link #kill()})</td>
 *       <td>{@link #start()} (to RUNNING), {@link #close()}</td>
 *       <td>{@link #stop()}, {@link #kill()}, {@link #restart()}, {@link #createTopics}</td></tr>
 *   <tr><td>CLOSED (after {@link #close()})</td><td>{@link #close()} (no-op)</td><td>everything else</td></tr>
 * </table>
 * A broker process that died on its own (an out-of-memory exit, an external {@code kill}) is still RUNNING in this
 * sense but {@link #isRunning()} is false; {@link #start()} is then allowed and {@link #stop()} / {@link #kill()}
 * just reap it. If {@link #start()} fails (not reachable within 60 s, or the JVM exits) the broker is left STOPPED,
 * with its data directory, and the exception carries the tail of the log.
 *
 * <p>What stays the same across a restart: {@link #bootstrapServers()} (with {@code port(0)} the free port picked at
 * the first start is kept, as is the controller port), {@link #dataDir()}, the cluster id, the log file (appended
 * to). What changes: {@link #pid()} and {@link #startupTime()}. The storage is formatted only once: the child runs
 * the storage tool with {@code --ignore-formatted}, which leaves an already formatted {@code log.dirs} untouched.
 *
 * <p>After {@link #kill()}, {@link #start()} takes about {@code broker.session.timeout.ms} (9 s by default) longer:
 * the controller, restored from its metadata log, keeps the killed incarnation registered until its session expires,
 * and the new one cannot register before (the log shows {@code DUPLICATE_BROKER_REGISTRATION} meanwhile). Tests may
 * lower it with {@code property("broker.session.timeout.ms", "4000")} and {@code broker.heartbeat.interval.ms}.
 *
 * <p>Port reuse: Kafka binds its listeners with {@code SO_REUSEADDR} (the JDK's {@code ServerSocketChannel} default
 * on Linux and macOS), so connections left in {@code TIME_WAIT} by the stopped broker do not block the rebind. The
 * port is not reserved while the broker is stopped: with {@code port(0)} it comes from the ephemeral range, and
 * another process could bind it, or be given it as the local port of an outgoing connection, in between; the
 * {@link #start()} then fails with "Address already in use" in the log. Tests that stop the broker for a long time
 * on a busy machine can pass a fixed {@link Builder#port(int)} outside the ephemeral range.
 *
 * <p>The child dies with its parent: {@link #close()} stops it, a JVM shutdown hook stops it on a normal parent
 * exit, and the child itself exits when its standard input (a pipe from this JVM) closes, which also covers a
 * parent killed with {@code SIGKILL}. {@link #close()} deletes a temporary data directory in every state.
 */
public final class LocalKafkaBroker implements AutoCloseable {
    /** Classpath resource written by maven-dependency-plugin (build-classpath) when this module is built. */
    static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";
    /** System property that replaces the generated broker classpath (e.g. for a relocated installation). */
    public static final String CLASSPATH_PROPERTY = "cogflow.kafka.classpath";
    /** Default {@code message.max.bytes}: 8 MiB (Kafka's default is 1 MiB). */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** How long {@link #stop()} waits for the clean shutdown before it kills the process. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(15);
    private static final int LOG_TAIL_LINES = 40;

    private enum State { RUNNING, STOPPED, CLOSED }

    private final List<String> command;
    private final String bootstrapServers;
    private final Path dataDir;
    private final boolean deleteDataDir;
    private final Path log;
    private final Thread shutdownHook;
    /** The current (or last) child; volatile for the shutdown hook and {@link #isRunning()}. */
    private volatile Process process;
    private volatile State state = State.STOPPED;
    private volatile Duration startupTime = Duration.ZERO;
    private Admin admin;

    private LocalKafkaBroker(List<String> command, String bootstrapServers, Path dataDir, boolean deleteDataDir, Path log) {
        this.command = List.copyOf(command);
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.deleteDataDir = deleteDataDir;
        this.log = log;
        this.shutdownHook = new Thread(() -> {
            Process child = process;
            if (child != null) {
                stop(child, Duration.ofSeconds(5));
            }
            if (deleteDataDir) {
                deleteRecursively(dataDir);
            }
        }, "cogflow-kafka-broker-stop");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code 127.0.0.1:<port>}; the same across {@link #stop()} / {@link #start()}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Properties every producer, consumer or admin client needs to reach this broker. */
    public Map<String, Object> clientProperties() {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }

    /** Creates the topics; topics that already exist are left as they are. Only while RUNNING. */
    public synchronized void createTopics(List<NewTopic> topics) {
        checkState("createTopics", State.RUNNING);
        if (topics.isEmpty()) {
            return;
        }
        Map<String, KafkaFuture<Void>> results = admin().createTopics(topics).values();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            try {
                result.getValue().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("creating topic " + result.getKey() + " failed: " + e.getCause(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("creating topic " + result.getKey() + " timed out", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + result.getKey(), e);
            }
        }
    }

    /** The broker's data directory (server.properties, log4j2.properties, {@code data/} = log.dirs). */
    public Path dataDir() {
        return dataDir;
    }

    /** Where the child's stdout and stderr go (appended to by every start). */
    public Path log() {
        return log;
    }

    /** Process id of the current (or, when stopped, the last) child JVM; a new one after every {@link #start()}. */
    public long pid() {
        return process.pid();
    }

    /** Whether the broker is RUNNING and its child JVM is alive. */
    public boolean isRunning() {
        Process child = process;
        return state == State.RUNNING && child != null && child.isAlive();
    }

    /** From launching the child until a client could describe the cluster, for the latest start. */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * Stops the broker gracefully: SIGTERM (Kafka's clean, controlled shutdown), then SIGKILL if the process has not
     * exited within 30 s. Keeps the data directory and the configuration; {@link #start()} brings it back.
     *
     * @throws IllegalStateException unless RUNNING
     */
    public synchronized void stop() {
        checkState("stop", State.RUNNING);
        closeAdmin();
        stop(process, STOP_GRACE);
        releaseStreams(process);
        state = State.STOPPED;
    }

    /**
     * Kills the broker with SIGKILL ({@code destroyForcibly}), like a crash: nothing is flushed or closed cleanly by
     * the broker (written records are in the OS page cache and survive). Keeps the data directory and the
     * configuration; {@link #start()} brings it back (Kafka then recovers the unflushed log segments).
     *
     * @throws IllegalStateException unless RUNNING
     */
    public synchronized void kill() {
        checkState("kill", State.RUNNING);
        closeAdmin();
        Process child = process;
        child.destroyForcibly();
        try {
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the Kafka broker JVM (pid " + child.pid() + ") survived SIGKILL for 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing the Kafka broker", e);
        }
        releaseStreams(child);
        state = State.STOPPED;
    }

    /**
     * Starts the broker process again, with the same configuration, port and data directory (not formatted again),
     * and waits, as the first start does, until it serves requests. Allowed when STOPPED, or when RUNNING but the
     * child JVM died on its own.
     *
     * @throws IllegalStateException if the broker is running or closed; or if it does not come up within 60 s or its
     *                               JVM exits (then it is STOPPED and the message carries the tail of the log)
     */
    public synchronized void start() {
        if (state == State.CLOSED) {
            throw new IllegalStateException("start: the broker is closed");
        }
        if (isRunning()) {
            throw new IllegalStateException("start: the broker is already running (pid " + process.pid() + ")");
        }
        if (process != null) {
            releaseStreams(process); // died on its own
        }
        appendToLog("cogflow: starting the broker again on " + bootstrapServers + " (" + dataDir + ")");
        launch();
    }

    /**
     * {@link #stop()} then {@link #start()}.
     *
     * @throws IllegalStateException unless RUNNING, or as {@link #start()}
     */
    public synchronized void restart() {
        checkState("restart", State.RUNNING);
        stop();
        start();
    }

    /**
     * Stops the child if it runs (SIGTERM, then SIGKILL after a grace period) and deletes a temporary data directory.
     * Allowed in every state; idempotent.
     */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closeAdmin();
        if (process != null) {
            stop(process, CLOSE_GRACE);
            releaseStreams(process);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to run; it tolerates a stopped process
        }
        if (deleteDataDir) {
            deleteRecursively(dataDir);
        }
    }

    @Override
    public String toString() {
        Process child = process;
        return "LocalKafkaBroker[" + bootstrapServers + ", " + state + (child != null ? ", pid " + child.pid() : "")
            + ", " + dataDir + "]";
    }

    private void checkState(String operation, State required) {
        State current = state;
        if (current != required) {
            throw new IllegalStateException(operation + ": the broker is " + current.name().toLowerCase(Locale.ROOT)
                + (current == State.CLOSED ? "" : " (" + operation + " needs it " + required.name().toLowerCase(Locale.ROOT) + ")"));
        }
    }

    /** Launches the child and waits until it is reachable; RUNNING on return, STOPPED (process gone) if it throws. */
    private void launch() {
        ProcessBuilder pb = new ProcessBuilder(command)
            .directory(dataDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.PIPE); // the child's lifeline, see BrokerProcessMain
        long t0 = System.nanoTime();
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            state = State.STOPPED;
            throw new UncheckedIOException("cannot start the Kafka broker: " + e.getMessage(), e);
        }
        process = child;
        state = State.RUNNING;
        try {
            awaitReachable(child, bootstrapServers, log);
        } catch (RuntimeException e) {
            stop(child, Duration.ofSeconds(5));
            releaseStreams(child);
            state = State.STOPPED;
            throw e;
        }
        startupTime = Duration.ofNanos(System.nanoTime() - t0);
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(log, System.lineSeparator() + line + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // only a reading aid
        }
    }

    private Admin admin() {
        if (admin == null) {
            admin = newAdmin(bootstrapServers);
        }
        return admin;
    }

    private void closeAdmin() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }

    private static Admin newAdmin(String bootstrapServers) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 100);
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "cogflow-local-broker-admin");
        return Admin.create(config);
    }

    private static void stop(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: Kafka's shutdown hook does a clean shutdown
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Closes this side of the child's stdin pipe (its lifeline) once it is gone; stdout/stderr go to the log file. */
    private static void releaseStreams(Process process) {
        if (process.isAlive()) {
            return;
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the child is gone anyway
        }
    }

    private static void awaitReachable(Process process, String bootstrap, Path logFile) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Throwable last = null;
        Admin admin = newAdmin(bootstrap);
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new BrokerStartException("the Kafka broker JVM exited with code " + process.exitValue()
                        + " before it was reachable; log " + logFile + ":\n" + tail(logFile));
                }
                try {
                    String clusterId = admin.describeCluster().clusterId().get(2, TimeUnit.SECONDS);
                    if (clusterId != null && !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e instanceof ExecutionException ? e.getCause() : e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
                }
            }
        } finally {
            admin.close(Duration.ZERO); // abandon the probes still pending (they would hold close() up to 30 s)
        }
        throw new BrokerStartException("the Kafka broker at " + bootstrap + " was not reachable within "
            + START_TIMEOUT.toSeconds() + " s (last error: " + last + "); log " + logFile + ":\n" + tail(logFile));
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }

    public static final class Builder {
        private Path dataDir;
        private int port;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private String heap = "512m";
        private Path log;
        private final List<String> jvmOptions = new ArrayList<>();

        private Builder() {
        }

        /** Data directory; default: a temporary directory, deleted on {@link #close()}. */
        public Builder dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * Client (PLAINTEXT) port on 127.0.0.1; 0 (default) picks a free one, which the broker then keeps across
         * {@link LocalKafkaBroker#stop()} / {@link LocalKafkaBroker#start()}. The controller port is always picked
         * free (and kept likewise).
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** An extra or overriding server.properties entry, e.g. {@code message.max.bytes}. */
        public Builder property(String key, String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Child heap ({@code -Xmx}); default 512m. */
        public Builder heap(String xmx) {
            if (!Objects.requireNonNull(xmx, "xmx").matches("\\d+[kKmMgG]?")) {
                throw new IllegalArgumentException("heap must look like 512m or 2g: " + xmx);
            }
            this.heap = xmx;
            return this;
        }

        /** Where the broker's stdout and stderr go; default {@code dataDir/broker.log}. */
        public Builder log(Path file) {
            this.log = Objects.requireNonNull(file, "file");
            return this;
        }

        /** An extra option for the child JVM, e.g. {@code -XX:+UseG1GC}. */
        public Builder jvmOption(String option) {
            jvmOptions.add(Objects.requireNonNull(option, "option"));
            return this;
        }

        /**
         * Writes the configuration, launches the child (which formats the storage if needed and runs
         * {@code kafka.Kafka}) and waits until an admin client can describe the cluster.
         *
         * @return a RUNNING broker
         * @throws IllegalStateException if the broker is not reachable within 60 s or its JVM exits; the message
         *                               carries the tail of the broker log
         */
        public LocalKafkaBroker start() {
            boolean tempDir = dataDir == null;
            Path dir;
            try {
                dir = tempDir ? Files.createTempDirectory("cogflow-kafka-") : Files.createDirectories(dataDir);
                dir = dir.toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the broker data directory", e);
            }
            LocalKafkaBroker broker = null;
            boolean hooked = false;
            try {
                Path logFile = (log != null ? log : dir.resolve("broker.log")).toAbsolutePath();
                if (logFile.getParent() != null) {
                    Files.createDirectories(logFile.getParent());
                }
                int[] ports = freePorts(port);
                String bootstrap = "127.0.0.1:" + ports[0];
                Path serverProperties = dir.resolve("server.properties");
                writeProperties(serverProperties, serverProperties(dir.resolve("data"), ports[0], ports[1], properties));
                Path log4j = dir.resolve("log4j2.properties");
                Files.writeString(log4j, LOG4J2_PROPERTIES, StandardCharsets.UTF_8);

                List<String> command = new ArrayList<>();
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.add("-Xmx" + heap);
                command.add("-XX:+UseSerialGC");
                command.add("-XX:+ExitOnOutOfMemoryError");
                command.add("-Djava.awt.headless=true");
                command.add("-Dlog4j2.configurationFile=" + log4j.toUri());
                command.add("-Dkafka.logs.dir=" + dir);
                command.addAll(jvmOptions);
                command.add("-cp");
                command.add(childClasspath());
                command.add(BrokerProcessMain.class.getName());
                command.add(serverProperties.toString());
                // what `kafka-storage.sh random-uuid` prints; the same on every start (formatting is skipped then)
                command.add(Uuid.randomUuid().toString());

                broker = new LocalKafkaBroker(command, bootstrap, dir, tempDir, logFile);
                Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
                hooked = true;
                broker.launch();
                return broker;
            } catch (IOException | RuntimeException e) {
                if (broker != null) {
                    broker.state = State.CLOSED;
                    if (broker.process != null) {
                        stop(broker.process, Duration.ofSeconds(5));
                        releaseStreams(broker.process);
                    }
                }
                if (hooked) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(broker.shutdownHook);
                    } catch (IllegalStateException ignored) {
                        // shutting down
                    }
                }
                if (tempDir && !(e instanceof BrokerStartException)) {
                    deleteRecursively(dir);
                }
                if (e instanceof IOException io) {
                    throw new UncheckedIOException("cannot start the Kafka broker: " + io.getMessage(), io);
                }
                throw (RuntimeException) e;
            }
        }
    }

    /** The server.properties for a combined broker and controller on loopback. */
    static Map<String, String> serverProperties(Path logDirs, int port, int controllerPort, Map<String, String> overrides) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", logDirs.toAbsolutePath().toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        // one node: every internal topic needs replication factor 1, or transactions and groups never work
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Kafka's default maximum (15 min); Flink's KafkaSink asks for 1 h unless transaction.timeout.ms is set
        p.put("transaction.max.timeout.ms", "900000");
        p.put("message.max.bytes", Integer.toString(DEFAULT_MAX_MESSAGE_BYTES));
        p.put("replica.fetch.max.bytes", Integer.toString(DEFAULT_MAX_MESSAGE_BYTES));
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        p.putAll(overrides);
        return p;
    }

    private static void writeProperties(Path file, Map<String, String> values) throws IOException {
        Properties props = new Properties();
        props.putAll(values);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(w, "written by io.cogflow.localkafka.LocalKafkaBroker");
        }
    }

    /** Two distinct free loopback ports: client (or {@code fixed} if non-zero) and controller. */
    private static int[] freePorts(int fixed) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket a = new ServerSocket(0, 1, loopback); ServerSocket b = new ServerSocket(0, 1, loopback)) {
            int controller = b.getLocalPort();
            if (fixed != 0) {
                if (fixed == controller) {
                    controller = a.getLocalPort();
                }
                return new int[] {fixed, controller};
            }
            return new int[] {a.getLocalPort(), controller};
        }
    }

    /** The generated broker classpath plus the location of {@link BrokerProcessMain}. */
    static String childClasspath() {
        String kafka = System.getProperty(CLASSPATH_PROPERTY);
        if (kafka == null || kafka.isBlank()) {
            try (InputStream in = LocalKafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + CLASSPATH_RESOURCE + " is missing next to "
                        + LocalKafkaBroker.class.getName() + ": build the connectors module with Maven (it is written "
                        + "by maven-dependency-plugin build-classpath), or set -D" + CLASSPATH_PROPERTY);
                }
                kafka = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<String> missing = new ArrayList<>();
        for (String entry : kafka.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank() && !Files.exists(Path.of(entry))) {
                missing.add(entry);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the Kafka broker classpath names " + missing.size()
                + " missing file(s), e.g. " + missing.get(0) + "; rebuild the connectors module (mvn package) so Maven "
                + "resolves them again, or set -D" + CLASSPATH_PROPERTY);
        }
        Path self;
        try {
            self = Path.of(BrokerProcessMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot locate the cogflow-connectors classes for the broker JVM", e);
        }
        return self + java.io.File.pathSeparator + kafka;
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Start failures; the data directory is kept so the log can be read. */
    static final class BrokerStartException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        BrokerStartException(String message) {
            super(message);
        }
    }

    private static final String LOG4J2_PROPERTIES = String.join("\n",
        "# written by io.cogflow.localkafka.LocalKafkaBroker: everything to stdout (= broker.log)",
        "status = warn",
        "appender.out.type = Console",
        "appender.out.name = STDOUT",
        "appender.out.layout.type = PatternLayout",
        "appender.out.layout.pattern = [%d] %p %m (%c)%n",
        "rootLogger.level = INFO",
        "rootLogger.appenderRef.out.ref = STDOUT",
        // the per-request and log-segment chatter of Kafka's defaults
        "logger.request.name = kafka.request.logger",
        "logger.request.level = WARN",
        "logger.controller.name = org.apache.kafka.controller",
        "logger.controller.level = INFO",
        "logger.statechange.name = state.change.logger",
        "logger.statechange.level = WARN",
        "logger.cleaner.name = kafka.log.LogCleaner",
        "logger.cleaner.level = WARN",
        "logger.storage.name = org.apache.kafka.storage.internals.log",
        "logger.storage.level = WARN",
        "logger.authorizer.name = kafka.authorizer.logger",
        "logger.authorizer.level = WARN",
        "");
}
