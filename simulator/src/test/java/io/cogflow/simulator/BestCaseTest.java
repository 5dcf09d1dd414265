package io.cogflow.simulator;

import io.cogflow.model.pipeline.BatchProfile;
import io.cogflow.scheduling.FixedWaitPolicy;
import io.cogflow.scheduling.RoutingPolicy;
import io.cogflow.scheduling.SlotPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.cogflow.simulator.SimulationTest.DEMO;
import static io.cogflow.simulator.SimulationTest.FIXED;
import static io.cogflow.simulator.SimulationTest.SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BestCaseTest {

    @Test
    void everyVideoCostsTheBestMeasuredBatchsShare() {
        BatchProfile measured = new BatchProfile("m", "synthetic", "today", 10, 3, Map.of(SIZE.toString(), List.of(
                new BatchProfile.Point(1, 250, 100, 50),
                new BatchProfile.Point(4, 600, 250, 200),
                new BatchProfile.Point(8, 1400, 600, 400))));
        BatchProfile best = BestCase.profile(measured);
        // batch 4 serves 6.67 videos/s, more than batch 1 (4) or 8 (5.71): a video costs a quarter of it
        assertThat(best.points(SIZE)).hasSize(1);
        BatchProfile.Point p = best.points(SIZE).get(0);
        assertThat(p.batch()).isEqualTo(1);
        assertThat(p.batchMs()).isCloseTo(150, within(1e-9));
        assertThat(p.denoiseMs()).isCloseTo(62.5, within(1e-9));
        assertThat(p.decodeMs()).isCloseTo(50, within(1e-9));
        assertThat(best.batchMs(SIZE, 3)).isCloseTo(450, within(1e-9));
        assertThat(best.steps()).isEqualTo(10);
    }

    /** The yardstick must be one: under the same arrivals no policy's percentiles come out below it. */
    @Test
    void noPolicyBeatsItOnTheSameArrivals() {
        Pipeline pipeline = new Pipeline(0, 500, 0);
        BatchProfile best = BestCase.profile(DEMO);
        SlotPolicy alone = new SlotPolicy.RequestLevel(FixedWaitPolicy.none());
        Service yardstick = new Service("best case", alone,
                new RoutingPolicy(RoutingPolicy.Kind.REBALANCE, best, alone), 1, new CostModel(best), pipeline);
        for (double rate : new double[] {1.3, 2.1}) {
            List<SimRequest> arrivals = SimulationTest.poisson(rate, Mix.only(25), 1500).generate();
            Result floor = new Simulation(yardstick).run(arrivals);
            for (SlotPolicy policy : List.of(alone, new SlotPolicy.RequestLevel(FIXED), SimulationTest.continuous())) {
                Result r = new Simulation(SimulationTest.service(policy.toString(), policy, 1, pipeline)).run(arrivals);
                assertThat(r.latencyMs().p50()).as("p50 at %.1f/s, %s", rate, policy)
                        .isGreaterThanOrEqualTo(floor.latencyMs().p50());
                assertThat(r.latencyMs().p95()).as("p95 at %.1f/s, %s", rate, policy)
                        .isGreaterThanOrEqualTo(floor.latencyMs().p95());
            }
        }
    }
}
