package io.cogflow.simulator;

import io.cogflow.model.pipeline.VideoSize;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Open-loop Poisson arrivals (optionally on/off modulated by a {@link Burst}) with sizes, step counts and
 * priorities drawn independently from their mixes. Seeded: the same workload at another rate has the same sizes,
 * steps and priorities in the same order, and arrival gaps only scaled (without bursts), so levels of a sweep
 * differ in load alone.
 *
 * @param requests   how many arrive, at most
 * @param maxSeconds arrivals stop after this (infinite: only {@code requests} bounds the run)
 */
public record Workload(double ratePerSecond, Burst burst, Mix<VideoSize> sizes, Mix<Integer> steps,
                       Mix<Integer> priorities, int requests, double maxSeconds, long seed) {

    public Workload {
        if (!(ratePerSecond > 0) || requests < 1 || !(maxSeconds > 0)) {
            throw new IllegalArgumentException("a workload needs a rate > 0, requests >= 1 and seconds > 0, got "
                    + ratePerSecond + ", " + requests + ", " + maxSeconds);
        }
        for (int s : steps.values()) {
            if (s < 1) {
                throw new IllegalArgumentException("step counts must be >= 1, got " + s);
            }
        }
    }

    public Workload atRate(double perSecond) {
        return new Workload(perSecond, burst, sizes, steps, priorities, requests, maxSeconds, seed);
    }

    public List<SimRequest> generate() {
        // separate streams: the arrival times do not shift the sizes drawn, and back
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom gaps = root.split();
        SplittableRandom kinds = root.split();
        List<SimRequest> out = new ArrayList<>(requests);
        double t = 0;
        while (out.size() < requests) {
            t = nextArrival(t, gaps);
            if (t > maxSeconds) {
                break;
            }
            out.add(new SimRequest(out.size(), Math.round(t * 1e9), sizes.draw(kinds), steps.draw(kinds),
                    priorities.draw(kinds)));
        }
        return out;
    }

    /**
     * The next arrival after {@code t}: an exponential gap at the current phase's rate; a gap that crosses the end
     * of the phase is redrawn from there at the next phase's rate (exact, as arrivals are memoryless).
     */
    private double nextArrival(double t, SplittableRandom random) {
        while (true) {
            double rate = burst == null ? ratePerSecond : burst.rateAt(t, ratePerSecond);
            double next = t - Math.log(1 - random.nextDouble()) / rate;
            if (burst == null || next < burst.phaseEnd(t)) {
                return next;
            }
            t = burst.phaseEnd(t);
        }
    }
}
