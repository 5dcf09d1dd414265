package io.cogflow.localkafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Entry point of the broker child JVM started by {@link LocalKafkaBroker}; not an API.
 *
 * <p>Arguments: {@code <server.properties> <cluster id>}. It
 * <ol>
 *   <li>starts a watchdog that exits this JVM when its standard input reaches end-of-file. The parent holds the
 *       other end of that pipe and never writes to it, so the pipe closes exactly when the parent closes it or
 *       dies, even by {@code kill -9} (which skips the parent's shutdown hooks): no broker is left behind;</li>
 *   <li>formats the storage with {@code kafka.tools.StorageTool format -t <id> -c <props> --ignore-formatted}
 *       in this JVM (saves a second JVM start; a reused data directory keeps its cluster id);</li>
 *   <li>runs {@code kafka.Kafka <props>}, exactly what {@code bin/kafka-server-start.sh} runs.</li>
 * </ol>
 * Kafka's server classes are only on the child classpath, so they are called reflectively.
 */
public final class BrokerProcessMain {
    /** Printed after formatting; {@link LocalKafkaBroker} does not depend on it, it helps reading the log. */
    static final String FORMATTED_MARKER = "cogflow: storage ready";

    private BrokerProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: BrokerProcessMain <server.properties> <cluster-id>");
            System.exit(64);
        }
        startParentWatchdog(System.in);

        Method execute = Class.forName("kafka.tools.StorageTool").getMethod("execute", String[].class, PrintStream.class);
        int formatted;
        try {
            formatted = (Integer) execute.invoke(null, (Object) new String[] {
                "format", "-t", args[1], "-c", args[0], "--ignore-formatted"}, System.out);
        } catch (InvocationTargetException e) {
            System.err.println("cogflow: formatting the storage failed");
            e.getCause().printStackTrace();
            System.exit(2);
            return;
        }
        if (formatted != 0) {
            System.err.println("cogflow: kafka.tools.StorageTool format exited with " + formatted);
            System.exit(2);
        }
        System.out.println(FORMATTED_MARKER);
        System.out.flush();

        Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) new String[] {args[0]});
    }

    private static void startParentWatchdog(InputStream in) {
        Thread watchdog = new Thread(() -> {
            byte[] buffer = new byte[256];
            try {
                while (in.read(buffer) >= 0) {
                    // the parent never writes; ignore whatever arrives
                }
            } catch (IOException e) {
                // a broken pipe means the same as end-of-file
            }
            System.out.println("cogflow: parent process gone (stdin closed), shutting the broker down");
            System.out.flush();
            Thread halter = new Thread(() -> {
                try {
                    Thread.sleep(20_000);
                } catch (InterruptedException ignored) {
                    // exit anyway
                }
                Runtime.getRuntime().halt(3);
            }, "cogflow-broker-halt");
            halter.setDaemon(true);
            halter.start();
            System.exit(0); // runs Kafka's own shutdown hook (controlled shutdown), bounded by the halter
        }, "cogflow-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
