package io.cogflow.cli;

import picocli.CommandLine.Option;

/** How long the benchmarks measure each point (after two warm-up calls). */
final class TimingOptions {
    @Option(names = "--min-runs", defaultValue = "5", description = "Timed calls per point, at least.")
    int minRuns;

    @Option(names = "--min-seconds", defaultValue = "3", description = "Timed seconds per point, at least.")
    double minSeconds;
}
