package io.cogflow.simulator;

import io.cogflow.model.pipeline.BatchProfile;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.scheduling.AdaptivePolicy;
import io.cogflow.scheduling.ContinuousPolicy;
import io.cogflow.scheduling.FixedWaitPolicy;
import io.cogflow.scheduling.RoutingPolicy;
import io.cogflow.scheduling.SlotPolicy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Generates docs/scale.md's tables and plots. It builds exactly what {@code cogflow simulate --profile
 * configs/profiles/h100-cogvideox-2b.json --config configs/simulate-h100.yaml} builds (the policies from that
 * config's batching section, whose values are written out below; the same simulator classes), for when the cli
 * cannot be built (on 2026-12-01 flink-jobs, which the cli needs for JobConfig, did not compile on branch sim
 * until main was merged; since then both print identical rows).
 *
 * <pre>
 * ScaleStudy sweep SLOTS REQUESTS PNG   the mix at 50/70/80/90 % of the best capacity, every policy x routing
 * ScaleStudy search REQUESTS            fewest slots for 10,000 videos/hour of 720x480x49, p95 <= 10 min
 * </pre>
 */
public final class ScaleStudy {

    static final Path PROFILE = Path.of("configs/profiles/h100-cogvideox-2b.json");
    static final VideoSize FULL = VideoSize.parse("720x480x49");
    static final double[] LOADS = {0.5, 0.7, 0.8, 0.9};
    /** MP4 encode of 49 frames 720x480 took 2.0–2.6 s on a CPU core (anchors.md), plus Kafka in and out. */
    static final double OVERHEAD_MS = 3000;
    static final long CHECKPOINT_MS = 30_000;

    public static void main(String[] args) {
        BatchProfile profile = BatchProfile.read(PROFILE);
        PrintWriter out = new PrintWriter(System.out, true);
        switch (args[0]) {
            case "sweep" -> sweep(profile, Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]), out);
            case "search" -> search(profile, Integer.parseInt(args[1]), args.length > 2 ? args[2] : null, out);
            default -> throw new IllegalArgumentException("sweep or search");
        }
    }

    /** configs/simulate-h100.yaml's batching section, as JobConfig.Batching.toSlotPolicy builds it. */
    static SlotPolicy policy(String name, BatchProfile profile) {
        FixedWaitPolicy fixed = new FixedWaitPolicy(new FixedWaitPolicy.Limits(2, 2000), Map.of(
                "720x480x49", new FixedWaitPolicy.Limits(2, 2000), "256x256x17", new FixedWaitPolicy.Limits(16, 500)));
        AdaptivePolicy adaptive = new AdaptivePolicy(profile, 600_000, fixed);
        return switch (name) {
            case "none" -> new SlotPolicy.RequestLevel(FixedWaitPolicy.none());
            case "fixed" -> new SlotPolicy.RequestLevel(fixed);
            case "adaptive" -> new SlotPolicy.RequestLevel(adaptive);
            case "continuous" -> new ContinuousPolicy(adaptive, ContinuousPolicy.DEFAULT_PRIORITY_AGING_MS,
                    ContinuousPolicy.DEFAULT_DECODE_CHUNK);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static List<Service> services(BatchProfile profile, int slots, List<String> policies) {
        Pipeline pipeline = new Pipeline(OVERHEAD_MS, CHECKPOINT_MS, 0);
        CostModel costs = new CostModel(profile);
        List<Service> s = new ArrayList<>();
        for (String p : policies) {
            for (RoutingPolicy.Kind k : RoutingPolicy.Kind.values()) {
                s.add(new Service(p, policy(p, profile), new RoutingPolicy(k, profile), slots, costs, pipeline));
            }
        }
        return s;
    }

    static void sweep(BatchProfile profile, int slots, int requests, Path png, PrintWriter out) {
        Workload w = new Workload(1, new Burst(3, 60, 600),
                Mix.parse("720x480x49:0.6,480x480x25:0.25,256x256x17:0.15", VideoSize::parse),
                Mix.parse("50:0.8,20:0.2", Integer::parseInt), Mix.parse("0:0.9,5:0.1", Integer::parseInt),
                requests, Double.POSITIVE_INFINITY, 7);
        long start = System.nanoTime();
        List<Sweep> sweeps = Sweep.compare(services(profile, slots, List.of("none", "fixed", "adaptive",
                "continuous")), w, LOADS, Sweep.Reference.BEST);
        double wall = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "%d slots, %d requests per run: %.1f s wall for %d runs (+%d capacity runs)%n",
                slots, requests, wall, sweeps.size() * LOADS.length, sweeps.size());
        for (Sweep s : sweeps) {
            out.printf(Locale.ROOT, "capacity %-11s %-13s %.4f videos/s (%.0f / hour)%n", s.policy(), s.routing(),
                    s.ownCapacityPerSecond(), 3600 * s.ownCapacityPerSecond());
        }
        ResultTable.header(out);
        for (Sweep s : sweeps) {
            s.levels().forEach(r -> ResultTable.row(out, r));
        }
        double longest = sweeps.stream().flatMap(s -> s.levels().stream()).mapToDouble(Result::wallMs).max()
                .orElse(0);
        out.printf(Locale.ROOT, "longest single run: %.0f ms%n", longest);
        LatencyPlot.write(png, String.format(Locale.ROOT, "Simulated (derived H100 costs), %d slots, mixed sizes",
                slots), sweeps);
    }

    static void search(BatchProfile profile, int requests, String only, PrintWriter out) {
        Workload w = new Workload(10_000 / 3600.0, null, Mix.only(FULL), Mix.only(50), Mix.only(0), requests,
                Double.POSITIVE_INFINITY, 7);
        List<String> policies = only == null ? List.of("none", "fixed", "adaptive", "continuous") : List.of(only);
        ResultTable.header(out);
        for (Service s : services(profile, 1, policies)) {
            long start = System.nanoTime();
            SlotSearch found = SlotSearch.of(s, w, 600_000);
            ResultTable.row(out, found.result());
            out.printf(Locale.ROOT, "  -> %s: %d slots, capacity %.4f videos/s (tried %s; %.1f s wall)%n", s.label(),
                    found.slots(), found.capacity(), found.tried(), (System.nanoTime() - start) / 1e9);
        }
    }
}
