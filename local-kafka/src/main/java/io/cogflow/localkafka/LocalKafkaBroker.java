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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
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
 * <p>The child dies with its parent: {@link #close()} stops it, a JVM shutdown hook stops it on a normal parent
 * exit, and the child itself exits when its standard input (a pipe from this JVM) closes, which also covers a
 * parent killed with {@code SIGKILL}.
 */
public final class LocalKafkaBroker implements AutoCloseable {
    /** Classpath resource written by maven-dependency-plugin (build-classpath) when this module is built. */
    static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";
    /** System property that replaces the generated broker classpath (e.g. for a relocated installation). */
    public static final String CLASSPATH_PROPERTY = "cogflow.kafka.classpath";
    /** Default {@code message.max.bytes}: 8 MiB (Kafka's default is 1 MiB). */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final int LOG_TAIL_LINES = 40;

    private final Process process;
    private final String bootstrapServers;
    private final Path dataDir;
    private final boolean deleteDataDir;
    private final Path log;
    private final Thread shutdownHook;
    private final Duration startupTime;
    private Admin admin;
    private boolean closed;

    private LocalKafkaBroker(Process process, String bootstrapServers, Path dataDir, boolean deleteDataDir, Path log,
                             Thread shutdownHook, Duration startupTime) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.deleteDataDir = deleteDataDir;
        this.log = log;
        this.shutdownHook = shutdownHook;
        this.startupTime = startupTime;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Properties every producer, consumer or admin client needs to reach this broker. */
    public Map<String, Object> clientProperties() {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }

    /** Creates the topics; topics that already exist are left as they are. */
    public synchronized void createTopics(List<NewTopic> topics) {
        checkOpen();
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

    /** Where the child's stdout and stderr go. */
    public Path log() {
        return log;
    }

    /** Process id of the child JVM. */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** From launching the child until a client could describe the cluster. */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * Stops the child (SIGTERM, then SIGKILL after a grace period) and deletes a temporary data directory.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
        stop(process, STOP_GRACE);
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
        return "LocalKafkaBroker[" + bootstrapServers + ", pid " + process.pid() + ", " + dataDir + "]";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("broker closed");
        }
    }

    private Admin admin() {
        if (admin == null) {
            admin = newAdmin(bootstrapServers);
        }
        return admin;
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

        /** Client (PLAINTEXT) port on 127.0.0.1; 0 (default) picks a free one. The controller port is always picked free. */
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
            Process process = null;
            Thread hook = null;
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
                command.add(Uuid.randomUuid().toString()); // what `kafka-storage.sh random-uuid` prints

                ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE); // the child's lifeline, see BrokerProcessMain
                long t0 = System.nanoTime();
                process = pb.start();
                Process child = process;
                boolean deleteOnExit = tempDir;
                Path finalDir = dir;
                hook = new Thread(() -> {
                    stop(child, Duration.ofSeconds(5));
                    if (deleteOnExit) {
                        deleteRecursively(finalDir);
                    }
                }, "cogflow-kafka-broker-stop");
                Runtime.getRuntime().addShutdownHook(hook);

                awaitReachable(process, bootstrap, logFile);
                Duration startup = Duration.ofNanos(System.nanoTime() - t0);
                return new LocalKafkaBroker(process, bootstrap, dir, tempDir, logFile, hook, startup);
            } catch (IOException | RuntimeException e) {
                if (process != null) {
                    stop(process, Duration.ofSeconds(5));
                }
                if (hook != null) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
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
