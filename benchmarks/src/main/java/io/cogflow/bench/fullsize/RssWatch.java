package io.cogflow.bench.fullsize;

import io.cogflow.bench.ProcessMemory;

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
        ProcessMemory memory = new ProcessMemory(process.pid());
        thread = new Thread(() -> {
            while (!stopped && process.isAlive()) {
                long rss = memory.rssBytes();
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
}
