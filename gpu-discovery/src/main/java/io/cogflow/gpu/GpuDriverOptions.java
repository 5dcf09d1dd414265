package io.cogflow.gpu;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The driver's parameters ({@code external-resource.gpu.param.<key>}).
 *
 * @param command          the discovery command and its arguments; it prints every GPU index of the host
 * @param coordinationFile where the TaskManagers of one host record which GPU each holds
 * @param timeout          how long the discovery command may run
 */
public record GpuDriverOptions(List<String> command, Path coordinationFile, Duration timeout) {

    public static final ConfigOption<String> SCRIPT = ConfigOptions.key("discovery-script.path").stringType()
            .noDefaultValue().withDescription("A script printing every GPU index of the host, comma- or "
                    + "newline-separated. Relative: to FLINK_HOME when set. Default: nvidia-smi");
    public static final ConfigOption<String> ARGS = ConfigOptions.key("discovery-script.args").stringType()
            .noDefaultValue().withDescription("Arguments for the script, separated by spaces");
    public static final ConfigOption<String> COORDINATION_FILE = ConfigOptions.key("coordination-file").stringType()
            .defaultValue("/var/tmp/cogflow-gpu-coordination")
            .withDescription("The file the TaskManagers of one host lock to take distinct GPUs");

    /** What runs when no script is given. */
    static final List<String> NVIDIA_SMI = List.of("nvidia-smi", "--query-gpu=index", "--format=csv,noheader");
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    public GpuDriverOptions {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no discovery command");
        }
        command = List.copyOf(command);
    }

    static GpuDriverOptions from(Configuration config) {
        String script = config.get(SCRIPT);
        List<String> command = new ArrayList<>();
        if (script == null || script.isBlank()) {
            command.addAll(NVIDIA_SMI);
        } else {
            command.add(resolve(script.trim(), System.getenv("FLINK_HOME")));
        }
        String args = config.get(ARGS);
        if (args != null && !args.isBlank()) {
            command.addAll(Arrays.asList(args.trim().split("\\s+")));
        }
        return new GpuDriverOptions(command, Path.of(config.get(COORDINATION_FILE)), TIMEOUT);
    }

    /** A relative script path is taken from FLINK_HOME, as Flink's own GPU driver does, else from the cwd. */
    static String resolve(String script, String flinkHome) {
        Path p = Path.of(script);
        if (p.isAbsolute() || flinkHome == null || flinkHome.isBlank()) {
            return p.toString();
        }
        return Path.of(flinkHome).resolve(p).toString();
    }
}
