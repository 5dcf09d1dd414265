package io.cogflow.simulator;

import io.cogflow.scheduling.RoutingPolicy;
import io.cogflow.scheduling.SlotPolicy;

/**
 * The simulated service: {@code slots} generator slots, each scheduling with its own scheduler from
 * {@code policy}, one router from {@code routing} in front of them (it sees all traffic, as one upstream task
 * would), costs from {@code costs}, results made visible by {@code pipeline}.
 *
 * @param policyName how the policy is called on the command line (none, fixed, adaptive, continuous), for reports
 */
public record Service(String policyName, SlotPolicy policy, RoutingPolicy routing, int slots, CostModel costs,
                      Pipeline pipeline) {

    public Service {
        if (slots < 1) {
            throw new IllegalArgumentException("the service needs at least one slot, got " + slots);
        }
        if (policy == null || routing == null || costs == null || pipeline == null) {
            throw new IllegalArgumentException("a service needs its policy, routing, costs and pipeline");
        }
    }

    public Service withSlots(int n) {
        return new Service(policyName, policy, routing, n, costs, pipeline);
    }

    public String label() {
        return policyName + "/" + routing.kind().configName();
    }
}
