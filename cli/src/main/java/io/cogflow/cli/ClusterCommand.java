package io.cogflow.cli;

import io.cogflow.localflink.FlinkRest;
import com.fasterxml.jackson.databind.JsonNode;
import io.cogflow.localflink.LocalFlinkCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code cogflow cluster up|down|status}: a local standalone Flink cluster of separate processes. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"A local standalone Flink session cluster: a JobManager and TaskManagers as separate JVMs "
                + "from the Maven jars, on loopback, with TensorFlow and FFmpeg in their lib classpath as a Flink image "
                + "has them. What the fault tests run on and what to try before a real cluster; submit with "
                + "'cogflow job --config C --cluster URL'."},
        subcommands = {ClusterCommand.Up.class, ClusterCommand.Down.class, ClusterCommand.Status.class})
final class ClusterCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where a cluster started by this command lives (config, logs, checkpoints, its process ids). */
    static final class Folder {
        @Option(names = "--dir", defaultValue = "target/cogflow-cluster",
                description = "The cluster's folder: config.yaml, logs, checkpoints (default target/cogflow-cluster).")
        Path dir;
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start a JobManager and --task-managers TaskManagers, wait until they registered, print the "
                    + "REST address and leave them running ('cogflow cluster down' stops them).")
    static final class Up implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Folder folder = new Folder();

        @Option(names = "--task-managers", defaultValue = "2", description = "TaskManager processes (default 2).")
        int taskManagers;

        @Option(names = "--slots", defaultValue = "3", description = "Slots per TaskManager (default 3).")
        int slots;

        @Option(names = "--task-manager-memory", defaultValue = "2048m",
                description = "taskmanager.memory.process.size (default 2048m).")
        String memory;

        @Option(names = "--rest-port", defaultValue = "8081", description = "The REST port (default 8081; 0: any).")
        int restPort;

        @Option(names = "--lib", description = "Jars every process gets, as a Flink image's lib/ (default "
                + "flink-jobs/target/flink-lib: TensorFlow, JavaCPP, FFmpeg).")
        Path lib;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (LocalFlinkCluster.restUrlOf(folder.dir).isPresent()) {
                spec.commandLine().getErr().println("cogflow: a cluster was already started in " + folder.dir
                        + " (cogflow cluster down --dir " + folder.dir + " stops it)");
                return Cogflow.FAIL;
            }
            Files.createDirectories(folder.dir);
            LocalFlinkCluster cluster = LocalFlinkCluster.builder().taskManagers(taskManagers).slotsPerTaskManager(slots)
                    .taskManagerMemory(memory).restPort(restPort).directory(folder.dir.toAbsolutePath())
                    .libraries(libJars(lib != null ? lib : RepositoryPaths.flinkLib())).start();
            // not closed: the processes outlive this command, 'cluster down' stops them
            out.printf("cluster up: %d TaskManager(s) x %d slots; REST API and dashboard %s; logs %s%n", taskManagers, slots,
                    cluster.restUrl(), cluster.logDirectory());
            out.printf("submit with: ./cogflow job --config configs/demo.yaml --cluster %s%n", cluster.restUrl());
            out.flush();
            return 0;
        }

        /** What a Flink image keeps in lib/ for cogflow: the jars mvn package puts in flink-jobs/target/flink-lib. */
        static List<Path> libJars(Path lib) throws IOException {
            if (!Files.isDirectory(lib)) {
                throw new IOException("no " + lib + ": build it with mvn -B -DskipTests package");
            }
            try (Stream<Path> jars = Files.list(lib)) {
                return jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            }
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the cluster started in --dir.")
    static final class Down implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Folder folder = new Folder();

        @Override
        public Integer call() throws Exception {
            int stopped = LocalFlinkCluster.stopDetached(folder.dir);
            spec.commandLine().getOut().println(stopped == 0 ? "no cluster running from " + folder.dir
                    : "stopped " + stopped + " process(es)");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "The cluster's TaskManagers, slots and jobs, from its REST API.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Folder folder = new Folder();

        @Option(names = "--cluster", description = "A cluster's REST address (default: the one started in --dir).")
        URI cluster;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            URI rest = cluster != null ? cluster : LocalFlinkCluster.restUrlOf(folder.dir).orElse(null);
            if (rest == null) {
                out.println("no cluster started in " + folder.dir);
                return Cogflow.FAIL;
            }
            FlinkRest api = new FlinkRest(rest);
            JsonNode o;
            try {
                o = api.get("/overview");
            } catch (IOException e) {
                out.println("cluster " + rest + " does not answer: " + e.getMessage());
                return Cogflow.FAIL;
            }
            out.printf("cluster %s: Flink %s, %d TaskManager(s), %d of %d slots free, jobs running %d%n", rest,
                    o.path("flink-version").asText(), o.path("taskmanagers").asInt(), o.path("slots-available").asInt(),
                    o.path("slots-total").asInt(), o.path("jobs-running").asInt());
            for (JsonNode j : api.get("/jobs/overview").path("jobs")) {
                out.printf("  job %s %-10s %s%n", j.path("jid").asText(), j.path("state").asText(),
                        Printable.of(j.path("name").asText()));
            }
            return 0;
        }
    }
}
