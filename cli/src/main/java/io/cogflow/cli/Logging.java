package io.cogflow.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * The command line's logging: Log4j 2 behind SLF4J, as in Flink's own distribution, configured by
 * {@code io/cogflow/cli/log4j2-cli.properties} (quiet: cogflow at INFO, Flink and Kafka only when something is
 * wrong, all on stderr) unless the user names another file with {@code -Dlog4j2.configurationFile}.
 */
final class Logging {
    static final String CONFIGURATION = "classpath:io/cogflow/cli/log4j2-cli.properties";

    private Logging() {
    }

    /** Must run before the first logger exists, i.e. first thing in {@code main}. */
    static void useCommandLineConfiguration() {
        if (System.getProperty("log4j2.configurationFile") == null
                && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", CONFIGURATION);
        }
    }

    /** {@code --verbose}: every library at INFO (Flink's and Kafka's own account of what they do), cogflow at DEBUG. */
    static void verbose() {
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.INFO);
        Configurator.setAllLevels("io.cogflow", Level.DEBUG);
    }
}
