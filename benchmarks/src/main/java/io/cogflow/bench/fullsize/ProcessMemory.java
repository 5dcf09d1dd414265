package io.cogflow.bench.fullsize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory as Linux counts it ({@code /proc/self/status}): the current {@code VmRSS} and the
 * peak {@code VmHWM}, which counts native (TensorFlow) memory, the Java heap and mapped file pages alike — the
 * number the kernel's OOM killer and a container limit see. {@link #resetPeak} (writing 5 to
 * {@code /proc/self/clear_refs}) starts a new peak, so one process can report the peak of each of its steps.
 */
final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {
    }

    static long peakBytes() {
        return field("VmHWM:");
    }

    static long residentBytes() {
        return field("VmRSS:");
    }

    /** Sets the peak to the current resident size. */
    static void resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the peak resident size (/proc/self/clear_refs)", e);
        }
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    if (!parts[1].equals("kB")) {
                        throw new IllegalStateException("unexpected unit in " + line);
                    }
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STATUS, e);
        }
        throw new IllegalStateException(STATUS + " has no " + name + " (not Linux?)");
    }
}
