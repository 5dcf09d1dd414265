package io.cogflow.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this build for {@code cogflow --version}: the pom's {@code project.version}, which Maven resource
 * filtering writes into {@code version.properties} (so it holds in the jar and in target/classes alike).
 */
final class BuildVersion implements IVersionProvider {
    private static final String RESOURCE = "version.properties";

    /** The pom version, e.g. {@code 0.1.0-SNAPSHOT}; refuses a missing or unfiltered file rather than guessing. */
    static String version() {
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath; build with Maven");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            if (v == null || v.isBlank() || v.contains("${")) {
                throw new IllegalStateException(RESOURCE + " was not filled in by the build (version=" + v + ")");
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[]{"cogflow " + version()};
    }
}
