package io.cogflow.gpu;

import io.cogflow.localflink.FlinkProcess;
import io.cogflow.localflink.LocalFlinkCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real TaskManager processes on one host (a standalone cluster from the Maven jars), each loading the driver
 * from {@code plugins/cogflow-gpu/} at start, with a fake discovery script listing four GPUs: they take distinct
 * GPUs, and the coordination file names each one's pid. (No GPU here: the script stands in for nvidia-smi.)
 */
class TwoTaskManagersOnOneHostTest {
    @TempDir
    Path dir;

    @Test
    void eachTaskManagerGetsItsOwnGpu() throws Exception {
        Path plugins = dir.resolve("plugins");
        PluginLoadingTest.jarOfThisModule(plugins.resolve("cogflow-gpu").resolve("cogflow-gpu-discovery.jar"));
        Path script = dir.resolve("gpus.sh");
        Files.writeString(script, "#!/bin/bash\necho 0,1,2,3\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path coordination = dir.resolve("gpu-coordination");
        try (LocalFlinkCluster cluster = LocalFlinkCluster.builder().taskManagers(2).slotsPerTaskManager(1)
                .taskManagerMemory("1024m").plugins(plugins)
                .property("external-resources", "gpu")
                .property("external-resource.gpu.amount", "1")
                .property("external-resource.gpu.driver-factory.class", GpuDriverFactory.class.getName())
                .property("external-resource.gpu.param.discovery-script.path", script.toString())
                .property("external-resource.gpu.param.coordination-file", coordination.toString())
                .start()) {
            // each TaskManager registered with one GPU, as the REST API reports its resources
            for (var tm : cluster.get("/taskmanagers").path("taskmanagers")) {
                assertThat(tm.path("totalResource").path("extendedResources").path("gpu").asDouble())
                        .as(tm.toString()).isEqualTo(1.0);
            }
            Map<Long, String> byPid = new HashMap<>();
            for (String line : Files.readAllLines(coordination)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split("\\s+");  // index pid start-time
                byPid.put(Long.parseLong(f[1]), f[0]);
            }
            List<Long> pids = cluster.taskManagers().stream().map(FlinkProcess::pid).toList();
            assertThat(byPid).containsOnlyKeys(pids);
            assertThat(byPid.values()).doesNotHaveDuplicates().allMatch(i -> List.of("0", "1", "2", "3").contains(i));
        }
    }
}
