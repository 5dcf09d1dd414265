package io.cogflow.simulator;

/**
 * On/off modulated arrivals: every {@code periodSeconds}, the first {@code onSeconds} arrive {@code factor} times
 * faster than the rest. The mean rate over a period stays the rate asked for, so a load level means the same with
 * and without bursts: with on-fraction f = on / period, the quiet rate is rate / (1 − f + factor·f) and the burst
 * rate factor times that.
 */
public record Burst(double factor, double onSeconds, double periodSeconds) {

    public Burst {
        if (!(factor >= 1) || !(onSeconds > 0) || !(periodSeconds > onSeconds)) {
            throw new IllegalArgumentException("a burst needs factor >= 1 and 0 < on < period seconds, got factor "
                    + factor + ", on " + onSeconds + ", period " + periodSeconds);
        }
    }

    /** {@code FACTOR,ON_SECONDS,PERIOD_SECONDS}, e.g. {@code 3,120,900}. */
    public static Burst parse(String text) {
        String[] p = text.split(",");
        if (p.length != 3) {
            throw new IllegalArgumentException("a burst is FACTOR,ON_SECONDS,PERIOD_SECONDS, got '" + text + "'");
        }
        try {
            return new Burst(Double.parseDouble(p[0].trim()), Double.parseDouble(p[1].trim()),
                    Double.parseDouble(p[2].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a burst is FACTOR,ON_SECONDS,PERIOD_SECONDS, got '" + text + "'");
        }
    }

    /** The arrival rate at {@code seconds} for a mean rate of {@code meanRate}. */
    double rateAt(double seconds, double meanRate) {
        double f = onSeconds / periodSeconds;
        double quiet = meanRate / (1 - f + factor * f);
        return inBurst(seconds) ? factor * quiet : quiet;
    }

    boolean inBurst(double seconds) {
        return seconds % periodSeconds < onSeconds;
    }

    /** When the current phase (burst or quiet) ends. */
    double phaseEnd(double seconds) {
        double start = Math.floor(seconds / periodSeconds) * periodSeconds;
        return inBurst(seconds) ? start + onSeconds : start + periodSeconds;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "x%.1f for %.0f s every %.0f s", factor, onSeconds, periodSeconds);
    }
}
