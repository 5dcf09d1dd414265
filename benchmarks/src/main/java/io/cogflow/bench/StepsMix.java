package io.cogflow.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The denoising step counts a load level offers, as fractions of its requests ({@code 25:0.8,10:0.2}). A mix of
 * step counts is where a batcher that admits requests between steps can gain over one that runs each batch to the
 * end; a single entry is today's uniform traffic.
 */
public record StepsMix(List<Share> shares) {

    /** {@code fraction} of the requests ask for {@code steps} denoising steps. */
    public record Share(int steps, double fraction) {
        public Share {
            if (steps <= 0) {
                throw new IllegalArgumentException("steps must be positive, got " + steps);
            }
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("a fraction must be in (0, 1], got " + fraction);
            }
        }
    }

    /** Fractions typed by hand (0.33, 0.33, 0.34) may miss 1 by rounding; more than this is a mistake. */
    private static final double SUM_TOLERANCE = 1e-3;

    public StepsMix {
        shares = List.copyOf(shares);
        if (shares.isEmpty()) {
            throw new IllegalArgumentException("a steps mix needs at least one steps:fraction entry");
        }
        if (shares.stream().map(Share::steps).distinct().count() != shares.size()) {
            throw new IllegalArgumentException("a steps mix names each step count once: " + shares);
        }
        double sum = shares.stream().mapToDouble(Share::fraction).sum();
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the fractions of a steps mix must add up to 1, got %.4f", sum));
        }
    }

    /** Every request with the same step count. */
    public static StepsMix single(int steps) {
        return new StepsMix(List.of(new Share(steps, 1.0)));
    }

    /** Parses {@code steps:fraction[,steps:fraction...]}, e.g. {@code 25:0.8,10:0.2}. */
    public static StepsMix parse(String text) {
        List<Share> shares = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] kv = part.trim().split(":");
            if (kv.length != 2) {
                throw new IllegalArgumentException("a steps mix entry is steps:fraction (e.g. 25:0.8), got '"
                        + part.trim() + "'");
            }
            try {
                shares.add(new Share(Integer.parseInt(kv[0].trim()), Double.parseDouble(kv[1].trim())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a steps mix entry is steps:fraction (e.g. 25:0.8), got '"
                        + part.trim() + "'", e);
            }
        }
        return new StepsMix(shares);
    }

    /**
     * Step counts for {@code count} requests in sending order: each share's exact number of requests (largest
     * remainder, so a 60-request level offers the mix it names rather than a random draw around it), in an order
     * shuffled by {@code seed}, so every policy sees the same sequence.
     */
    public int[] assign(int count, long seed) {
        int[] per = new int[shares.size()];
        double[] remainder = new double[shares.size()];
        int given = 0;
        for (int i = 0; i < per.length; i++) {
            double exact = shares.get(i).fraction() * count;
            per[i] = (int) Math.floor(exact);
            remainder[i] = exact - per[i];
            given += per[i];
        }
        while (given < count) { // hand out what flooring left over, largest remainder first
            int best = 0;
            for (int i = 1; i < per.length; i++) {
                if (remainder[i] > remainder[best]) {
                    best = i;
                }
            }
            per[best]++;
            remainder[best] = -1;
            given++;
        }
        int[] out = new int[count];
        int n = 0;
        for (int i = 0; i < per.length; i++) {
            Arrays.fill(out, n, n + per[i], shares.get(i).steps());
            n += per[i];
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = count - 1; i > 0; i--) { // Fisher-Yates
            int j = random.nextInt(i + 1);
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }

    @Override
    public String toString() {
        return shares.stream().map(s -> s.steps() + ":" + trim(s.fraction())).collect(Collectors.joining(","));
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
