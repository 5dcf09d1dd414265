package io.cogflow.cli;

import io.cogflow.model.pipeline.ProgressListener;

import java.io.PrintWriter;
import java.util.Locale;

/** A one-line terminal progress bar for denoising steps, redrawn in place with carriage returns. */
final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final long start = System.nanoTime();

    ProgressBar(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void onStep(int step, int steps) {
        int filled = steps == 0 ? WIDTH : WIDTH * step / steps;
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "\rdenoising [%s%s] %d/%d steps, %.2f s/step", "#".repeat(filled),
                ".".repeat(WIDTH - filled), step, steps, seconds / Math.max(1, step));
        if (step >= steps) {
            out.println();
        }
        out.flush();
    }
}
