package io.cogflow.simulator;

import java.io.PrintWriter;
import java.util.Locale;

/** The printed form of results: one line per run, latencies in seconds (the JSON keeps milliseconds). */
public final class ResultTable {

    private ResultTable() {
    }

    public static void header(PrintWriter out) {
        out.printf(Locale.ROOT, "%-11s %-13s %5s %5s %8s %8s %6s %9s %9s %9s %9s %9s %5s %6s %5s%n", "policy",
                "routing", "slots", "load", "offered", "achieved", "keptup", "e2e p50", "p95", "p99", "queue50",
                "queue95", "busy", "batch", "grows");
    }

    public static void row(PrintWriter out, Result r) {
        out.printf(Locale.ROOT, "%-11s %-13s %5d %5s %8.3f %8.3f %6.3f %9.1f %9.1f %9.1f %9.1f %9.1f %4.0f%% %6.2f %5s%n",
                r.policy(), r.routing(), r.slots(), Double.isNaN(r.load()) ? "-" : String.format(Locale.ROOT, "%.0f%%",
                        100 * r.load()), r.offeredPerSecond(), r.achievedPerSecond(), r.keptUp(),
                r.latencyMs().p50() / 1000, r.latencyMs().p95() / 1000, r.latencyMs().p99() / 1000,
                r.queueMs().p50() / 1000, r.queueMs().p95() / 1000, 100 * r.busyFraction(), r.meanBatch(),
                r.queueGrows() ? "YES" : "no");
    }
}
