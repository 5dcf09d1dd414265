package io.cogflow.bench.decode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Resident memory of a Linux process from {@code /proc/<pid>/status}: VmRSS now and VmHWM, the peak so far.
 * TensorFlow's tensors live outside the Java heap, so the process's resident set is the measure, not the heap.
 */
record ProcessMemory(long pid) {

    static ProcessMemory self() {
        return new ProcessMemory(ProcessHandle.current().pid());
    }

    long rssBytes() {
        return field("VmRSS:");
    }

    long peakRssBytes() {
        return field("VmHWM:");
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
