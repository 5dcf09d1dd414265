package io.cogflow.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Completion rates from the times results became visible, measured so that neither the pipeline filling up nor the
 * drain after the last request biases them. Results become visible in bursts, one per committed checkpoint, so the
 * capacity window's ends are placed on those bursts (counting from the middle of one would add or drop a burst's
 * worth), and a load level's rate is built from its requests' latencies rather than from a window's edges.
 */
public final class Throughput {
    /** Results closer together than this belong to one commit (commits are hundreds of ms apart). */
    static final long SAME_COMMIT_NANOS = 50_000_000L;

    private Throughput() {
    }

    /** A rate and what it was computed over. */
    public record Window(double perSecond, int results, double seconds) {
        static final Window NONE = new Window(Double.NaN, 0, 0);
    }

    /** One commit's results as a client sees them: when the first became visible, and how many. */
    record Commit(long atNanos, int results) {
    }

    /**
     * The steady completion rate of a service kept saturated from {@code saturatedFrom} to {@code saturatedUntil}
     * (a closed loop that keeps more requests outstanding than the generator can hold, until it stops refilling). The
     * first {@code warmUpFraction} of that span is the pipeline filling up and is dropped; what becomes visible
     * after {@code saturatedUntil} is the drain (fewer and fewer requests left) and is dropped. Rate = results of
     * the commits after the window's first commit, up to and including its last, over the time between the two.
     */
    public static Window steady(long[] visibleNanos, long saturatedFrom, long saturatedUntil, double warmUpFraction) {
        if (!(warmUpFraction >= 0 && warmUpFraction < 1) || saturatedUntil <= saturatedFrom) {
            throw new IllegalArgumentException("need 0 <= warm-up fraction < 1 and a positive saturated span");
        }
        long from = saturatedFrom + (long) (warmUpFraction * (saturatedUntil - saturatedFrom));
        List<Commit> in = commits(visibleNanos).stream()
                .filter(c -> c.atNanos() >= from && c.atNanos() <= saturatedUntil).toList();
        if (in.size() < 2) {
            return Window.NONE;
        }
        int results = in.subList(1, in.size()).stream().mapToInt(Commit::results).sum();
        double seconds = (in.get(in.size() - 1).atNanos() - in.get(0).atNanos()) / 1e9;
        return new Window(results / seconds, results, seconds);
    }

    /**
     * Requests at each end of a level whose median latency stands for the latency there: one request's latency is
     * noisy (its batch, its commit), and a few more smooth that out, but the more there are, the further their
     * median lies from the end while a queue grows. Simulated for 60-request levels (Poisson arrivals, a FIFO
     * server, results visible per 0.5 s commit), eight reads a level that keeps up within ±3.5 % of what it was
     * offered, and an overloaded one about 3 % above its true service rate (the last eight's median is four
     * requests short of the end): an error towards not flagging, which {@link QueueGrowth}'s second rule covers.
     */
    public static final int END_REQUESTS = 8;

    /**
     * A load level's achieved rate over its arrival window ({@code arrivalsFrom} .. {@code arrivalsUntil}, T long):
     * its completions over the time their results took to come out. Request i, sent at a_i, is visible at
     * a_i + L_i, so the results of the window's arrivals span T + L(end) − L(start): the window shifted by the
     * pipeline's latency and stretched by how much that latency rose across it. L(start) and L(end) are the median
     * latencies of the first and the last {@link #END_REQUESTS} requests. A level the service keeps up with has
     * the same latency at both ends and achieves what was offered; one it cannot keep up with ends with a latency
     * higher by the backlog it built, which turns the span into the time the service needed, and the rate into the
     * service's. Dividing by the time from the start to the last result instead would count the pipeline's latency
     * as if it were slowness (a level that kept up would look short by L/T), and that is the drain tail.
     *
     * @param sentNanos    send times of the level's completed requests, in arrival order
     * @param visibleNanos when each of those results became visible, same order
     */
    public static Window overArrivals(long[] sentNanos, long[] visibleNanos, long arrivalsFrom, long arrivalsUntil) {
        if (sentNanos.length != visibleNanos.length) {
            throw new IllegalArgumentException("one visible time per sent time");
        }
        double arrivalSeconds = (arrivalsUntil - arrivalsFrom) / 1e9;
        int n = sentNanos.length;
        if (!(arrivalSeconds > 0) || n == 0) {
            return new Window(n == 0 ? 0 : Double.NaN, n, Math.max(0, arrivalSeconds));
        }
        int k = Math.max(1, Math.min(END_REQUESTS, n / 3));
        double rise = (median(visibleNanos, sentNanos, n - k, n) - median(visibleNanos, sentNanos, 0, k)) / 1e9;
        double seconds = arrivalSeconds + rise;
        if (!(seconds > 0)) {
            return new Window(Double.NaN, n, seconds); // latency fell by more than the window: not a measurement
        }
        return new Window(n / seconds, n, seconds);
    }

    /** Median of {@code v[i] - minus[i]} over [from, to). */
    private static double median(long[] v, long[] minus, int from, int to) {
        double[] x = new double[to - from];
        for (int i = from; i < to; i++) {
            x[i - from] = v[i] - minus[i];
        }
        Arrays.sort(x);
        int m = x.length / 2;
        return x.length % 2 == 1 ? x[m] : (x[m - 1] + x[m]) / 2;
    }

    /** Visible times grouped into commits, in time order. */
    static List<Commit> commits(long[] visibleNanos) {
        long[] t = visibleNanos.clone();
        Arrays.sort(t);
        List<Commit> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= t.length; i++) {
            if (i == t.length || t[i] - t[i - 1] > SAME_COMMIT_NANOS) {
                out.add(new Commit(t[start], i - start));
                start = i;
            }
        }
        return out;
    }
}
