package io.cogflow.simulator;

import io.cogflow.model.pipeline.BatchProfile;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.scheduling.AdaptivePolicy;
import io.cogflow.scheduling.ContinuousPolicy;
import io.cogflow.scheduling.FixedWaitPolicy;
import io.cogflow.scheduling.RoutingPolicy;
import io.cogflow.scheduling.SlotPolicy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SimulationTest {

    static final BatchProfile DEMO = BatchProfile.read(Path.of("../configs/profiles/demo-cpu.json"));
    static final VideoSize SIZE = VideoSize.parse("64x64x17");
    /** configs/demo.yaml's fixed limits for this bucket, and its latency target. */
    static final FixedWaitPolicy FIXED = new FixedWaitPolicy(new FixedWaitPolicy.Limits(4, 1000),
            Map.of(SIZE.toString(), new FixedWaitPolicy.Limits(8, 500)));
    static final RoutingPolicy REBALANCE = new RoutingPolicy(RoutingPolicy.Kind.REBALANCE, DEMO,
            new SlotPolicy.RequestLevel(FIXED));

    static Service service(String name, SlotPolicy policy, int slots, Pipeline pipeline) {
        return new Service(name, policy, REBALANCE, slots, new CostModel(DEMO), pipeline);
    }

    static SlotPolicy continuous() {
        return new ContinuousPolicy(new AdaptivePolicy(DEMO, 10_000, FIXED), 1000, 1);
    }

    @Test
    void oneRequestAtATimeTakesItsGenerationOverheadAndCheckpointRounding() {
        Pipeline pipeline = new Pipeline(250, 1000, 0);
        Service s = service("none", new SlotPolicy.RequestLevel(FixedWaitPolicy.none()), 1, pipeline);
        List<SimRequest> arrivals = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            arrivals.add(new SimRequest(i, 100_300_000_000L + 100_000_000_000L * i, SIZE, 25, 0));
        }
        Result r = new Simulation(s).run(arrivals);
        // text is free on this profile at batch 1 (its residual is negative), so a generation is denoise + decode
        long generation = Math.round((499.668813 + 158.645559) * 1e6);
        for (SimRequest a : arrivals) {
            long produced = a.arrivalNanos() + generation + 250_000_000L;
            long visible = (produced + 999_999_999L) / 1_000_000_000L * 1_000_000_000L;
            assertThat(r.latencyMs().max()).isGreaterThanOrEqualTo((visible - a.arrivalNanos()) / 1e6);
        }
        // every arrival is 0.3 s past a checkpoint and alone: 0.3 s + 658.3 ms + 250 ms → the checkpoint at 2 s
        double expected = (Math.ceil((0.3e9 + generation + 250e6) / 1e9) * 1e9 - 0.3e9) / 1e6;
        assertThat(expected).isEqualTo(1700);
        assertThat(r.latencyMs().p50()).isEqualTo(expected);
        assertThat(r.latencyMs().max()).isEqualTo(r.latencyMs().p50());
        assertThat(r.queueMs().max()).isZero();
        assertThat(r.meanBatch()).isEqualTo(1);
        assertThat(r.work().get("generate")).isEqualTo(5);
    }

    static Workload poisson(double rate, Mix<Integer> steps, int requests) {
        return new Workload(rate, null, Mix.only(SIZE), steps, Mix.only(0), requests, Double.POSITIVE_INFINITY, 11);
    }

    @Test
    void theQueueGrowsAboveCapacityAndNotBelow() {
        Service s = service("fixed", new SlotPolicy.RequestLevel(FIXED), 2, new Pipeline(0, 1000, 0));
        Workload w = poisson(1, Mix.only(25), 3000);
        double capacity = Capacity.of(s, w);
        // demo-cpu's batch of 8 serves 8 videos per batch_ms(8) per slot (plus a little: completions come 8 at a
        // time, so the counting window's ends fall on batch boundaries)
        double slots2 = 2 * 8 / (DEMO.batchMs(SIZE, 8) / 1000);
        assertThat(capacity).isBetween(0.8 * slots2, 1.02 * slots2);
        Result below = new Simulation(s).run(w.atRate(0.6 * capacity).generate());
        Result above = new Simulation(s).run(w.atRate(1.3 * capacity).generate());
        assertThat(below.queueGrows()).as("60 %% of capacity: %s", below).isFalse();
        assertThat(below.achievedOverOffered()).isGreaterThan(0.95);
        assertThat(above.queueGrows()).as("130 %% of capacity: %s", above).isTrue();
        assertThat(below.keptUp()).isCloseTo(1, within(0.03));
        assertThat(above.keptUp()).isCloseTo(1 / 1.3, within(0.05));
        assertThat(above.achievedPerSecond()).isLessThan(1.05 * capacity);
    }

    /**
     * At 80 % of each one's own capacity (on this CPU profile a step over b videos costs almost b times one, so the
     * policies' capacities differ little and the comparison is of latency at the same utilisation).
     */
    @Test
    void continuousBatchingBeatsFixedOnP95AtEightyPercentWithMixedSteps() {
        Workload w = poisson(1, new Mix<>(Map.of(25, 0.5, 8, 0.5)), 3000);
        Pipeline pipeline = new Pipeline(100, 1000, 0);
        List<Sweep> sweeps = Sweep.compare(List.of(
                service("fixed", new SlotPolicy.RequestLevel(FIXED), 2, pipeline),
                service("continuous", continuous(), 2, pipeline)), w, new double[]{0.8}, Sweep.Reference.OWN);
        Result fixed = sweeps.get(0).levels().get(0);
        Result cont = sweeps.get(1).levels().get(0);
        assertThat(cont.latencyMs().p95()).as("continuous %s against fixed %s", cont, fixed)
                .isLessThan(fixed.latencyMs().p95());
    }

    @Test
    void theContinuousBatchersDecisionsAreWhatRuns() {
        Service s = service("continuous", continuous(), 1, new Pipeline(0, 0, 0));
        // one request alone: one admission, its 25 steps one by one, one decode
        Result one = new Simulation(s).run(List.of(new SimRequest(0, 1_000_000, SIZE, 25, 0)));
        assertThat(one.work()).containsEntry("admit", 1L).containsEntry("step", 25L).containsEntry("decode", 1L)
                .containsEntry("generate", 0L);
        CostModel c = new CostModel(DEMO);
        assertThat(one.latencyMs().p50()).isCloseTo(c.admitMs(SIZE, 1) + 25 * c.stepMs(SIZE, 1)
                + c.decodeMs(SIZE, 1), within(1e-3));
        // two at once, one of 5 steps: the first is admitted as it arrives (the slot was idle), the second joins
        // before the first step; the first leaves after its 5 steps and is decoded between two steps of the other
        Result two = new Simulation(s).run(List.of(new SimRequest(0, 1_000_000, SIZE, 5, 0),
                new SimRequest(1, 1_000_000, SIZE, 25, 0)));
        assertThat(two.work()).containsEntry("admit", 2L).containsEntry("step", 25L).containsEntry("decode", 2L);
        assertThat(two.meanBatch()).isCloseTo((5 * 2 + 20) / 25.0, within(1e-9));
    }

    @Test
    void burstsKeepTheMeanRate() {
        Workload w = new Workload(2, new Burst(4, 10, 60), Mix.only(SIZE), Mix.only(25), Mix.only(0), 20_000,
                Double.POSITIVE_INFINITY, 3);
        List<SimRequest> a = w.generate();
        double seconds = a.get(a.size() - 1).arrivalNanos() / 1e9;
        assertThat(a.size() / seconds).isCloseTo(2, within(0.1));
        long inBurst = a.stream().filter(r -> new Burst(4, 10, 60).inBurst(r.arrivalNanos() / 1e9)).count();
        // on-fraction 1/6 at 4x: 4/9 of the arrivals
        assertThat((double) inBurst / a.size()).isCloseTo(4.0 / 9, within(0.03));
    }
}
