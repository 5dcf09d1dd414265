package io.cogflow.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The service's capacity as the completion rate it sustains, not the rate at which it drains one burst. A burst
 * overstates it (in a rerun a burst of 48 gave 2.54 videos/s while the service could not keep up with 2.03/s):
 * a short burst is mostly full batches and its rate leans on the first commits. Here a closed loop keeps more
 * requests outstanding than the generator can hold, for a set time, and the rate is taken over the steady part
 * only ({@link Throughput#steady}): after a warm-up share of the run and before the loop stops refilling.
 */
public final class SustainedCapacity {
    /**
     * Share of the saturated run dropped as warm-up: the generator's queue filling and the first batches forming.
     * A quarter of the default 60 s is several batches of the largest size, long past the first commit.
     */
    public static final double WARM_UP_FRACTION = 0.25;
    private static final long POLL_MILLIS = 20;

    /** The measured capacity, with how it was measured (the --json report carries both). */
    public record Capacity(double perSecond, String policy, int outstanding, double saturatedSeconds,
                           double warmUpFraction, int sent, int windowResults, double windowSeconds, String method) {
    }

    private SustainedCapacity() {
    }

    /**
     * Runs the closed loop on a started, warmed-up harness.
     *
     * @param outstanding requests kept sent but without a visible result: more than the generator holds (its
     *                    in-flight limit over all slots), since a result becomes visible only at the next
     *                    checkpoint and the slots it freed must not sit empty until then
     * @param send        sends the n-th capacity request and returns its id
     */
    public static Capacity measure(ServingHarness h, String policy, int outstanding, double seconds,
                                   IntFunction<String> send) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        long start = System.nanoTime();
        long until = start + (long) (seconds * 1e9);
        while (System.nanoTime() < until) {
            int waiting = ids.size() - h.timings(ids).size();
            if (waiting < outstanding) {
                for (int i = waiting; i < outstanding; i++) {
                    ids.add(send.apply(ids.size()));
                }
                h.flush();
            }
            Thread.sleep(POLL_MILLIS);
        }
        long saturatedUntil = System.nanoTime(); // from here on the loop no longer refills: the drain
        int got = h.await(ids, Duration.ofMinutes(10));
        if (got < ids.size()) {
            throw new IllegalStateException("capacity run: only " + got + " of " + ids.size() + " results arrived");
        }
        long[] visible = h.timings(ids).stream().mapToLong(ServingHarness.Timing::receivedNanos).toArray();
        Throughput.Window w = Throughput.steady(visible, start, saturatedUntil, WARM_UP_FRACTION);
        String method = String.format(Locale.ROOT, "sustained throughput with policy %s: a closed loop kept %d "
                        + "requests outstanding for %.0f s; rate of the results visible between %.0f %% into the "
                        + "run and the end of the loop (%d results in %.1f s, measured from commit to commit)", policy,
                outstanding, seconds, 100 * WARM_UP_FRACTION, w.results(), w.seconds());
        return new Capacity(w.perSecond(), policy, outstanding, seconds, WARM_UP_FRACTION, ids.size(), w.results(),
                w.seconds(), method);
    }
}
