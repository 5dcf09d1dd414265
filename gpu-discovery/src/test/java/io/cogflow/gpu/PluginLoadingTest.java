package io.cogflow.gpu;

import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalResourceOptions;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginConfig;
import org.apache.flink.core.plugin.PluginManager;
import org.apache.flink.runtime.externalresource.ExternalResourceUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The driver as a TaskManager loads it: this module's classes in a jar under {@code plugins/cogflow-gpu/}, found by
 * Flink's plugin manager through the service file, configured by the {@code external-resource.gpu.*} keys.
 */
class PluginLoadingTest {
    @TempDir
    Path dir;

    @Test
    void flinkLoadsTheDriverFromAPluginsFolder() throws Exception {
        Path plugins = dir.resolve("plugins");
        jarOfThisModule(plugins.resolve("cogflow-gpu").resolve("cogflow-gpu-discovery.jar"));
        Path script = dir.resolve("gpus.sh");
        Files.writeString(script, "#!/bin/bash\necho 0,1\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

        Configuration conf = new Configuration();
        conf.setString(ExternalResourceOptions.EXTERNAL_RESOURCE_LIST.key(), "gpu");
        conf.setString(ExternalResourceOptions.getAmountConfigOptionForResource("gpu"), "1");
        conf.setString(ExternalResourceOptions.getExternalResourceDriverFactoryConfigOptionForResource("gpu"),
                GpuDriverFactory.class.getName());
        String param = ExternalResourceOptions.getExternalResourceParamConfigPrefixForResource("gpu");
        conf.setString(param + "discovery-script.path", script.toString());
        conf.setString(param + "coordination-file", dir.resolve("coordination").toString());
        PluginManager pluginManager = new DefaultPluginManager(new DirectoryBasedPluginFinder(plugins).findPlugins(),
                PluginConfig.fromConfiguration(conf).getAlwaysParentFirstPatterns());

        Set<ExternalResourceInfo> gpus = ExternalResourceUtils
                .createStaticExternalResourceInfoProviderFromConfig(conf, pluginManager).getExternalResourceInfos("gpu");

        assertThat(gpus).hasSize(1);
        ExternalResourceInfo gpu = gpus.iterator().next();
        assertThat(gpu.getProperty("index")).contains("0");
        // from the plugin's own class loader, not the test's class path
        assertThat(gpu.getClass().getName()).isEqualTo(GpuInfo.class.getName());
        assertThat(gpu.getClass().getClassLoader()).isNotSameAs(GpuInfo.class.getClassLoader());
    }

    /** target/classes as a jar: the test phase runs before the module's own jar exists. */
    static void jarOfThisModule(Path jar) throws IOException {
        Path classes = Path.of(GpuDriverFactory.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Files.createDirectories(jar.getParent());
        List<Path> files;
        try (Stream<Path> s = Files.walk(classes)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).contains(classes.resolve(
                "META-INF/services/org.apache.flink.api.common.externalresource.ExternalResourceDriverFactory"));
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            for (Path f : files) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
    }
}
