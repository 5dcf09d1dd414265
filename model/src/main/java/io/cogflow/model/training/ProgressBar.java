package io.cogflow.model.training;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A training progress line: stage, step/total, a bar, the loss (exponential moving average, so the number is
 * readable while per-step losses jump with the timestep), steps per second and time left. On a terminal it
 * redraws one line; in a log (no console) it prints a line every {@code logEvery} steps instead.
 */
public final class ProgressBar {
    private static final int WIDTH = 24;
    private static final double EMA = 0.05;

    private final PrintStream out;
    private final String stage;
    private final int total;
    private final boolean redraw;
    private final int logEvery;
    private final long started = System.nanoTime();
    private final int firstStep;
    private double ema = Double.NaN;

    public ProgressBar(PrintStream out, String stage, int firstStep, int total, boolean redraw, int logEvery) {
        this.out = out;
        this.stage = stage;
        this.firstStep = firstStep;
        this.total = total;
        this.redraw = redraw;
        this.logEvery = Math.max(1, logEvery);
    }

    /** Records the loss of step {@code step} (1-based count of steps done) and draws. */
    public void update(int step, double loss, String extra) {
        ema = Double.isNaN(ema) ? loss : ema + EMA * (loss - ema);
        if (!redraw && step % logEvery != 0 && step != total) {
            return;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = (step - firstStep) / Math.max(seconds, 1e-9);
        double left = rate > 0 ? (total - step) / rate : Double.NaN;
        int filled = (int) Math.round(WIDTH * (double) step / total);
        String line = String.format(Locale.ROOT, "%-11s %6d/%-6d %s%s loss %.4f%s  %.2f it/s  %s left", stage, step,
                total, "#".repeat(filled), ".".repeat(WIDTH - filled), ema, extra.isEmpty() ? "" : " " + extra, rate,
                clock(left));
        if (redraw) {
            out.print("\r" + line);
            if (step == total) {
                out.println();
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    static String clock(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return "--:--";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
