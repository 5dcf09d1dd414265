package io.cogflow.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ThroughputTest {
    private static final long S = 1_000_000_000L;

    /** {@code perCommit} results visible at each commit, {@code interval} apart, microseconds within a commit. */
    private static List<Long> commits(long from, long until, long interval, int perCommit) {
        List<Long> t = new ArrayList<>();
        for (long c = from; c <= until; c += interval) {
            for (int i = 0; i < perCommit; i++) {
                t.add(c + i * 10_000L);
            }
        }
        return t;
    }

    private static long[] array(List<Long> t) {
        return t.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void resultsWithinMillisecondsAreOneCommit() {
        List<Throughput.Commit> c = Throughput.commits(new long[]{S + 20_000_000, S, 2 * S, S + 10_000_000});
        assertThat(c).containsExactly(new Throughput.Commit(S, 3), new Throughput.Commit(2 * S, 1));
    }

    @Test
    void steadyRateIgnoresTheFillingAndTheDrain() {
        // saturated from 0 to 60 s at 2 results per 0.5 s commit (4/s); a slow start (1 per commit for the first
        // 10 s) and a drain of 40 results in 2 s after the loop stopped refilling must not change it
        List<Long> t = new ArrayList<>(commits(S / 2, 10 * S, S / 2, 1));
        t.addAll(commits(10 * S + S / 2, 60 * S, S / 2, 2));
        t.addAll(commits(60 * S + S / 2, 62 * S, S / 2, 10));
        Throughput.Window w = Throughput.steady(array(t), 0, 60 * S, 0.25);
        assertThat(w.perSecond()).isCloseTo(4.0, within(1e-9));
        // window: commits from 15 s to 60 s, the first one's results not counted
        assertThat(w.seconds()).isCloseTo(45.0, within(1e-9));
        assertThat(w.results()).isEqualTo(180);
        // counting everything from the first result to the last, as a burst drain did, is biased by both ends
        double naive = t.size() / ((t.get(t.size() - 1) - t.get(0)) / 1e9);
        assertThat(naive).isNotCloseTo(4.0, within(0.2));
    }

    @Test
    void steadyRateNeedsTwoCommitsInTheWindow() {
        assertThat(Throughput.steady(new long[]{S}, 0, 2 * S, 0.25).perSecond()).isNaN();
    }

    /** Visible at the first commit (every 0.5 s) at or after {@code doneNanos}. */
    private static long committed(long doneNanos) {
        long commit = S / 2;
        return (doneNanos + commit - 1) / commit * commit;
    }

    @Test
    void achievedRateOfALevelThatKeepsUpIsTheOfferedRate() {
        // 60 Poisson arrivals at 2/s; each done 2 to 3.5 s later, visible at the next commit
        long[] sent = new PoissonArrivals(2.0, 11).offsets(60, 1e9);
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        long[] visible = new long[sent.length];
        for (int i = 0; i < sent.length; i++) {
            visible[i] = committed(sent[i] + 2 * S + (long) (r.nextDouble() * 1.5 * S));
        }
        long last = sent[sent.length - 1];
        double offered = sent.length / (last / 1e9);
        Throughput.Window w = Throughput.overArrivals(sent, visible, 0, last);
        assertThat(w.results()).isEqualTo(60);
        assertThat(w.perSecond() / offered).isCloseTo(1.0, within(0.03));
        // all results over level start → last result: the drain tail makes a level that kept up look short
        long lastVisible = java.util.Arrays.stream(visible).max().orElseThrow();
        assertThat(60 / (lastVisible / 1e9) / offered).isLessThan(0.95);
    }

    @Test
    void achievedRateOfAnOverloadedLevelIsTheServiceRate() {
        // 60 arrivals at 2/s into a FIFO service that completes one request per 1/1.5 s, visible per commit
        long[] sent = new PoissonArrivals(2.0, 3).offsets(60, 1e9);
        long[] visible = new long[sent.length];
        long free = 0;
        for (int i = 0; i < sent.length; i++) {
            long done = Math.max(free, sent[i]) + (long) (S / 1.5);
            free = done;
            visible[i] = committed(done + S);
        }
        long last = sent[sent.length - 1];
        Throughput.Window w = Throughput.overArrivals(sent, visible, 0, last);
        // the truth: completions over the time from the first arrival to the last completion (~1.5/s: the server
        // hardly idles); the estimate reads a few percent high by design (Throughput.END_REQUESTS)
        double truth = 60 / ((free - sent[0]) / 1e9);
        assertThat(truth).isCloseTo(1.5, within(0.02));
        assertThat(w.perSecond()).isCloseTo(truth, within(0.15));
        assertThat(w.perSecond() / (60 / (last / 1e9))).isLessThan(0.95);
    }

    @Test
    void withFewRequestsTheEndsAreSingleRequests() {
        // latency 4 s at the start and 7 s at the end: the two results took the 2 s window + 3 s
        Throughput.Window w = Throughput.overArrivals(new long[]{S, 2 * S}, new long[]{5 * S, 9 * S}, 0, 2 * S);
        assertThat(w.seconds()).isCloseTo(5.0, within(1e-9));
        assertThat(w.perSecond()).isCloseTo(0.4, within(1e-9));
        assertThat(Throughput.overArrivals(new long[0], new long[0], 0, 2 * S).perSecond()).isZero();
        // one request late by 2 s at the end of a 4-request level: a 2 s longer span
        Throughput.Window late = Throughput.overArrivals(new long[]{S, 2 * S, 3 * S, 4 * S},
                new long[]{2 * S, 3 * S, 4 * S, 7 * S}, 0, 4 * S);
        assertThat(late.seconds()).isCloseTo(6.0, within(1e-9));
    }
}
