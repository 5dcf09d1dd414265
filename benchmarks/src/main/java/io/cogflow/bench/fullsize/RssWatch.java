package io.cogflow.bench.fullsize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Watches a child process's resident size ({@code VmRSS} in {@code /proc/PID/status}) five times a second and
 * kills it when it passes a limit: on a shared machine a model that does not fit must stop before the kernel's
 * OOM killer picks a victim among everyone's processes.
 */
final class RssWatch {
    private final Thread thread;
    private volatile boolean stopped;
    private volatile long killedAt;

    RssWatch(Process process, long limitBytes) {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        thread = new Thread(() -> {
            while (!stopped && process.isAlive()) {
                long rss = rss(status);
                if (rss > limitBytes) {
                    killedAt = rss;
                    process.destroyForcibly();
                    return;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-watch-" + process.pid());
        thread.setDaemon(true);
        thread.start();
    }

    /** The resident size at which the child was killed, or 0 if it was not. */
    long killedAt() {
        return killedAt;
    }

    void stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long rss(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0; // the process has just ended
        }
        return 0;
    }
}
