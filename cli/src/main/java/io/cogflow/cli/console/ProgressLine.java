package io.cogflow.cli.console;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * The progress of one piece of work as a line — what, a bar, done/total, the rate, the time left and a detail the
 * caller supplies (a loss, say) — written to suit where it goes. On a terminal the line is redrawn in place with a
 * carriage return at every update. Anywhere else (a file, a pipe, a CI log) carriage returns would glue every
 * update into one endless line, so updates become plain lines instead: one each time another tenth of the total is
 * done or {@link #LOG_INTERVAL} has passed since the last line, and always the last update.
 * {@link #close()} ends the report, also when the work stopped short of its total.
 */
public final class ProgressLine implements AutoCloseable {
    /** The longest silence between two lines in a log while work goes on. */
    public static final Duration LOG_INTERVAL = Duration.ofSeconds(5);
    private static final int BAR = 24;

    private final PrintWriter out;
    private final boolean terminal;
    private final String label;
    private final String unit;
    private final long from;
    private final long total;
    private final long started = System.nanoTime();

    private long done = -1;
    private String detail = "";
    /** Whether the latest update is on screen or in the log. */
    private boolean shown;
    private long loggedAt = started;
    private long loggedDone;
    /** Terminal: a line drawn without its newline yet, and its length (a shorter redraw must blank the rest). */
    private boolean open;
    private int drawnLength;

    /**
     * @param terminal whether {@code out} is a terminal (e.g. {@link StandardStream#isTerminal()} of the stream
     *                 behind it)
     * @param unit     what is counted, plural ("steps", "videos")
     * @param from     how much was done before this report began (a resumed run): the rate counts only the rest
     */
    public ProgressLine(PrintWriter out, boolean terminal, String label, String unit, long from, long total) {
        if (total < 0 || from < 0 || from > total) {
            throw new IllegalArgumentException("progress needs 0 <= from <= total, got from " + from + ", total "
                    + total);
        }
        this.out = out;
        this.terminal = terminal;
        this.label = label;
        this.unit = unit;
        this.from = from;
        this.total = total;
        this.loggedDone = from;
    }

    public ProgressLine(PrintWriter out, boolean terminal, String label, String unit, long total) {
        this(out, terminal, label, unit, 0, total);
    }

    public void update(long done) {
        update(done, "");
    }

    /** Reports {@code done} of the total, with a detail shown after the numbers ("" for none). */
    public void update(long done, String detail) {
        this.done = done;
        this.detail = detail;
        long now = System.nanoTime();
        if (terminal) {
            String line = line(now);
            out.print("\r" + line + " ".repeat(Math.max(0, drawnLength - line.length())));
            drawnLength = line.length();
            open = true;
            if (done >= total) {
                endLine();
            }
            shown = true;
        } else if (done >= total || tenth(done) > tenth(loggedDone) || now - loggedAt >= LOG_INTERVAL.toNanos()) {
            log(now);
        } else {
            shown = false;
        }
        out.flush();
    }

    /** Ends the report: a redrawn line gets its newline, and a log gets the last update if it has not got it. */
    @Override
    public void close() {
        if (terminal && open) {
            endLine();
        } else if (!terminal && done >= 0 && !shown) {
            log(System.nanoTime());
        }
        out.flush();
    }

    private void endLine() {
        out.println();
        open = false;
        drawnLength = 0;
    }

    private void log(long now) {
        out.println(line(now));
        loggedAt = now;
        loggedDone = done;
        shown = true;
    }

    private long tenth(long count) {
        return total == 0 ? 10 : 10 * count / total;
    }

    private String line(long now) {
        double seconds = (now - started) / 1e9;
        double rate = done > from && seconds > 0 ? (done - from) / seconds : Double.NaN;
        int filled = total == 0 ? BAR : (int) Math.round(BAR * (double) Math.min(done, total) / total);
        String count = String.format(Locale.ROOT, "%" + Long.toString(total).length() + "d/%d", done, total);
        return String.format(Locale.ROOT, "%s [%s%s] %s %s, %s %s/s, %s left%s", label, "#".repeat(filled),
                ".".repeat(BAR - filled), count, unit, Double.isNaN(rate) ? "--" : String.format(Locale.ROOT,
                        "%.2f", rate), unit, clock(rate > 0 ? (total - done) / rate : Double.NaN),
                detail.isEmpty() ? "" : ", " + detail);
    }

    /** mm:ss or h:mm:ss; --:-- before there is a rate to extrapolate from. */
    static String clock(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return "--:--";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
