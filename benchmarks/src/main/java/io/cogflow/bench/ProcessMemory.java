package io.cogflow.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Resident memory of a Linux process from {@code /proc/<pid>/status}: VmRSS now and VmHWM, the peak so far.
 * TensorFlow's tensors live outside the Java heap, so the process's resident set is the measure, not the heap —
 * the number the kernel's OOM killer and a container limit see.
 */
public record ProcessMemory(long pid) {

    public static ProcessMemory self() {
        return new ProcessMemory(ProcessHandle.current().pid());
    }

    /** The resident size now, or -1 when the process has gone. */
    public long rssBytes() {
        return field("VmRSS:");
    }

    /** The peak resident size since start or {@link #resetPeak}, or -1 when the process has gone. */
    public long peakRssBytes() {
        return field("VmHWM:");
    }

    /** Starts a new peak at the current resident size (5 → {@code /proc/<pid>/clear_refs}), for a peak per step. */
    public void resetPeak() {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the peak resident size of process " + pid, e);
        }
    }

    /** The field in bytes, or -1 when the process has gone or is exiting. */
    private long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    if (!parts[1].equals("kB")) {
                        throw new IllegalStateException("unexpected unit in " + line);
                    }
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
            return -1; // a process that is exiting has no memory fields left
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
