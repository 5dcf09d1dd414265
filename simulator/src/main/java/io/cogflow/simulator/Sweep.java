package io.cogflow.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Latency against load for one service: the workload at each fraction of a reference capacity.
 *
 * @param ownCapacityPerSecond this service's simulated sustained throughput at saturation
 * @param referencePerSecond   the capacity the load fractions are of
 * @param levels               one result per load fraction, in the order asked
 */
public record Sweep(String policy, String routing, int slots, double ownCapacityPerSecond, double referencePerSecond,
                    List<Result> levels) {

    /** What a load fraction is a fraction of, when services are compared. */
    public enum Reference {
        /**
         * Each service's own capacity: "80 % load" is equally close to saturation for every service, though the
         * arrival rates differ.
         */
        OWN,
        /**
         * The highest capacity among them, for all (as the load benchmark measures capacity once, with its most
         * efficient policy): every service sees the same arrivals, and a weaker one shows where it stops keeping up.
         */
        BEST;

        public static Reference parse(String name) {
            return switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "own" -> OWN;
                case "best" -> BEST;
                default -> throw new IllegalArgumentException("the capacity reference is own or best, got '" + name
                        + "'");
            };
        }
    }

    public static Sweep run(Service service, Workload workload, double[] loads, double ownCapacity,
                            double reference) {
        List<Result> levels = new ArrayList<>();
        for (double load : loads) {
            if (!(load > 0)) {
                throw new IllegalArgumentException("load fractions must be positive, got " + load);
            }
            Result r = new Simulation(service).run(workload.atRate(load * reference).generate());
            levels.add(r.atLoad(load));
        }
        return new Sweep(service.policyName(), service.routing().kind().configName(), service.slots(), ownCapacity,
                reference, List.copyOf(levels));
    }

    /** Each service's capacity, then each at the loads of its reference. */
    public static List<Sweep> compare(List<Service> services, Workload workload, double[] loads, Reference ref) {
        double[] own = services.stream().mapToDouble(s -> Capacity.of(s, workload)).toArray();
        double best = Arrays.stream(own).max().orElseThrow();
        List<Sweep> out = new ArrayList<>();
        for (int i = 0; i < services.size(); i++) {
            out.add(run(services.get(i), workload, loads, own[i], ref == Reference.OWN ? own[i] : best));
        }
        return out;
    }
}
