package io.cogflow.gpu;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GpuDriverTest {
    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly().waitFor();
        }
    }

    /** An executable bash script in the temp dir: a fake nvidia-smi. */
    private Path script(String name, String body) throws IOException {
        Path s = dir.resolve(name);
        Files.writeString(s, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        return s;
    }

    private GpuDriverOptions options(Path script) {
        return new GpuDriverOptions(List.of(script.toString()), dir.resolve("coordination"), Duration.ofSeconds(10));
    }

    /** Another live process on this host: a second TaskManager, as far as the coordination file can tell. */
    private ProcessHandle otherTaskManager() throws IOException {
        Process p = new ProcessBuilder("sleep", "120").start();
        started.add(p);
        return p.toHandle();
    }

    /** A pid that no longer exists: a TaskManager that died holding its GPU. */
    private static ProcessHandle deadTaskManager() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertThat(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        return p.toHandle();
    }

    private static List<String> indexes(Set<GpuInfo> infos) {
        return infos.stream().map(i -> i.getProperty("index").orElseThrow()).toList();
    }

    @Test
    void twoTaskManagersOnOneHostGetDistinctGpusAndKeepThem() throws Exception {
        GpuDriverOptions options = options(script("gpus.sh", "echo 0,1,2,3"));
        GpuDriver first = new GpuDriver(options);
        GpuDriver second = new GpuDriver(options, otherTaskManager());

        assertThat(indexes(first.retrieveResourceInfo(1))).containsExactly("0");
        assertThat(indexes(second.retrieveResourceInfo(1))).containsExactly("1");
        // asking again (a driver created anew in the same TaskManager) gives the GPU it holds, not another
        assertThat(indexes(first.retrieveResourceInfo(1))).containsExactly("0");
        assertThat(indexes(new GpuDriver(options).retrieveResourceInfo(1))).containsExactly("0");
        assertThat(Files.readAllLines(dir.resolve("coordination"))).filteredOn(l -> !l.startsWith("#"))
                .hasSize(2)
                .anySatisfy(l -> assertThat(l).startsWith("0 " + ProcessHandle.current().pid() + " "));
    }

    @Test
    void aDeadTaskManagersGpuIsReclaimedAndALiveOnesIsNot() throws Exception {
        GpuDriverOptions options = options(script("gpus.sh", "echo 0; echo 1")); // newline-separated, too
        ProcessHandle live = otherTaskManager();
        assertThat(indexes(new GpuDriver(options, live).retrieveResourceInfo(1))).containsExactly("0");
        // the dead process's claim goes in while it "lives" in the file; it is gone by the time we ask
        assertThat(indexes(new GpuDriver(options, deadTaskManager()).retrieveResourceInfo(1))).containsExactly("1");

        assertThat(indexes(new GpuDriver(options).retrieveResourceInfo(1))).containsExactly("1");
        assertThat(Files.readString(dir.resolve("coordination")))
                .contains("\n0 " + live.pid() + " ")
                .contains("\n1 " + ProcessHandle.current().pid() + " ");
    }

    @Test
    void noFreeGpuIsAClearError() throws Exception {
        GpuDriverOptions options = options(script("gpus.sh", "echo 0,1"));
        ProcessHandle a = otherTaskManager();
        ProcessHandle b = otherTaskManager();
        new GpuDriver(options, a).retrieveResourceInfo(1);
        new GpuDriver(options, b).retrieveResourceInfo(1);

        assertThatThrownBy(() -> new GpuDriver(options).retrieveResourceInfo(1))
                .hasMessageContaining("every GPU of the host is held by another live TaskManager")
                .hasMessageContaining("0 by pid " + a.pid())
                .hasMessageContaining("1 by pid " + b.pid())
                .hasMessageContaining("one TaskManager per GPU");
    }

    @Test
    void moreThanOneGpuPerTaskManagerIsRefused() throws Exception {
        GpuDriver driver = new GpuDriver(options(script("gpus.sh", "echo 0,1,2,3")));

        assertThatThrownBy(() -> driver.retrieveResourceInfo(2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("external-resource.gpu.amount is 2")
                .hasMessageContaining("TensorFlow Java cannot map two GPUs in one process")
                .hasMessageContaining("tensorflow/tensorflow#19083")
                .hasMessageContaining("run one TaskManager per GPU");
        assertThat(dir.resolve("coordination")).doesNotExist();
    }

    @Test
    void aFailingScriptIsNamedWithItsStderr() throws Exception {
        Path failing = script("failing.sh", "echo 'NVIDIA-SMI has failed because it could not communicate' >&2; exit 1");

        assertThatThrownBy(() -> new GpuDriver(options(failing)).retrieveResourceInfo(1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(failing.toString())
                .hasMessageContaining("exited with 1")
                .hasMessageContaining("NVIDIA-SMI has failed because it could not communicate");
    }

    @Test
    void garbageOutputIsAClearError() throws Exception {
        Path garbage = script("garbage.sh", "echo 'GPU-5f2c, Tesla T4'");

        assertThatThrownBy(() -> new GpuDriver(options(garbage)).retrieveResourceInfo(1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(garbage.toString())
                .hasMessageContaining("GPU-5f2c, Tesla T4")
                .hasMessageContaining("not GPU indexes");
        Path empty = script("empty.sh", "true");
        assertThatThrownBy(() -> new GpuDriver(options(empty)).retrieveResourceInfo(1))
                .hasMessageContaining(empty.toString()).hasMessageContaining("found no GPU");
    }

    @Test
    void aScriptThatHangsTimesOut() throws Exception {
        Path hanging = script("hanging.sh", "sleep 30");
        GpuDriverOptions options = new GpuDriverOptions(List.of(hanging.toString()), dir.resolve("coordination"),
                Duration.ofMillis(300));

        assertThatThrownBy(() -> new GpuDriver(options).retrieveResourceInfo(1))
                .hasMessageContaining(hanging.toString()).hasMessageContaining("did not finish");
    }

    @Test
    void optionsDefaultToNvidiaSmiAndTakeArguments() {
        GpuDriverOptions defaults = GpuDriverOptions.from(new Configuration());
        assertThat(defaults.command()).containsExactly("nvidia-smi", "--query-gpu=index", "--format=csv,noheader");
        assertThat(defaults.coordinationFile()).isEqualTo(Path.of("/var/tmp/cogflow-gpu-coordination"));
        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(10));

        Configuration c = new Configuration();
        c.setString("discovery-script.path", "/opt/gpus.sh");
        c.setString("discovery-script.args", " --a  b ");
        c.setString("coordination-file", "/tmp/x");
        GpuDriverOptions o = GpuDriverOptions.from(c);
        assertThat(o.command()).containsExactly("/opt/gpus.sh", "--a", "b");
        assertThat(o.coordinationFile()).isEqualTo(Path.of("/tmp/x"));
        assertThat(GpuDriverOptions.resolve("plugins/cogflow-gpu/gpus.sh", "/opt/flink"))
                .isEqualTo("/opt/flink/plugins/cogflow-gpu/gpus.sh");
        assertThat(GpuDriverOptions.resolve("/abs/gpus.sh", "/opt/flink")).isEqualTo("/abs/gpus.sh");
    }
}
