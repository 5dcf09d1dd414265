package io.cogflow.model.plan;

import io.cogflow.model.transformer.LatentGrid;
import io.cogflow.model.transformer.TransformerFlops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cogflow plan}: a roofline and memory plan of one denoise graph on one device (see {@link CostModel}).
 * The graph is analysed once; every batch is then evaluated from its affine sizes.
 */
public final class Planner {
    /** The largest batch the planner tries; a report's {@code maxBatch} equal to it means "at least". */
    public static final long BATCH_LIMIT = 1 << 14;
    /** How many of the slowest ops a report lists unless asked otherwise. */
    public static final int LISTED_OPS = 10;

    private final DenoiseGraph source;
    private final PlanGraph graph;

    public Planner(DenoiseGraph source) {
        this.source = source;
        this.graph = PlanGraph.of(source.graph(), source.fetch());
    }

    public PlanReport plan(PlanRequest r) {
        return plan(r, LISTED_OPS);
    }

    /** @param listed how many of the slowest ops the report lists, each with its FLOPs, bytes and time */
    public PlanReport plan(PlanRequest r, int listed) {
        if (listed < 0) {
            throw new IllegalArgumentException("the number of ops to list must not be negative");
        }
        if (!source.fromConfig() && r.compute() == Compute.BFLOAT16) {
            throw new IllegalArgumentException("an exported model computes in the types its graph holds; "
                    + "--compute chooses float32 or tf32 for its float32 products (export with --compute "
                    + "bfloat16 for a bf16 graph, or plan a --config)");
        }
        CostModel model = new CostModel(graph, r.device(), r.compute(), source.fromConfig(), r.fusion());
        List<CostModel.OpCost> ops = model.ops(r.batch());
        double step = r.device().runSeconds();
        double flops = 0;
        double products = 0;
        double bytes = 0;
        Map<String, double[]> types = new LinkedHashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            CostModel.OpCost o = ops.get(i);
            step += o.seconds();
            flops += o.flops();
            bytes += o.bytes();
            if (graph.nodes().get(i).kind().product()) {
                products += o.flops();
            }
            double[] t = types.computeIfAbsent(o.type(), k -> new double[4]);
            t[0]++;
            t[1] += o.flops();
            t[2] += o.bytes();
            t[3] += o.seconds();
        }
        int dispatched = model.dispatchedOps();
        double overhead = r.device().runSeconds() + dispatched * r.device().opSeconds();
        double stepSeconds = step;
        List<PlanReport.TypeCost> byType = new ArrayList<>();
        types.forEach((type, t) -> byType.add(new PlanReport.TypeCost(type, (int) t[0], t[1], t[2], t[3],
                t[3] / stepSeconds)));
        byType.sort(Comparator.comparingDouble(PlanReport.TypeCost::seconds).reversed());
        List<PlanReport.OpCost> top = ops.stream().sorted(Comparator.comparingDouble(CostModel.OpCost::seconds)
                        .reversed()).limit(listed)
                .map(o -> new PlanReport.OpCost(o.name(), o.type(), o.flops(), o.bytes(), o.seconds())).toList();
        double resident = model.weightBytes() + model.constantBytes();
        double activations = model.peakActivations(r.batch());
        long maxBatch = maxBatch(model, resident, r.device().memoryBytes());
        double videos = (double) r.batch() / r.rowsPerVideo();
        LatentGrid grid = LatentGrid.of(source.config(), source.geometry().paddedFrames(),
                source.geometry().latentHeight(), source.geometry().latentWidth());
        double analytic = TransformerFlops.forward(source.config(), r.batch(), grid, source.textLength());
        List<String> notes = new ArrayList<>();
        if (source.fromConfig()) {
            notes.add("products (MatMul, BatchMatMul, Conv) modelled at " + r.compute().label()
                    + ": operands and results at " + (r.compute() == Compute.BFLOAT16 ? 2 : 4)
                    + " bytes, weights likewise; element-wise ops as the float32 graph holds them");
        } else {
            notes.add("op types from the exported graph; --compute " + r.compute().label()
                    + " applies to its float32 products");
        }
        if (r.fusion() != Fusion.NONE) {
            notes.add("fusion '" + r.fusion().label() + "' is modelled: fused intermediates neither move bytes nor "
                    + "count as activations; one dispatch per fusion");
        }
        if (!graph.unknownTypes().isEmpty()) {
            notes.add("op types without a formula, costed as data movement: " + graph.unknownTypes());
        }
        notes.add("the denoise step only: text encoding and VAE decode are not in this plan");
        return new PlanReport(source.description(), r.device().name(), r.device().source(), r.compute().label(),
                r.fusion().label(), source.geometry().size().toString(), source.geometry().paddedFrames(),
                source.geometry().latentHeight(), source.geometry().latentWidth(), r.batch(), r.steps(),
                r.rowsPerVideo(), dispatched, flops, products, analytic, bytes, stepSeconds, overhead,
                model.parameters(), model.weightBytes(), model.constantBytes(), activations, r.device().memoryBytes(),
                resident + activations <= r.device().memoryBytes(), maxBatch,
                r.steps() * stepSeconds / videos, List.copyOf(byType), top, target(model, r, maxBatch),
                List.copyOf(notes));
    }

    /** Seconds of one call at a batch. */
    private static double stepSeconds(CostModel model, DeviceSpec device, long batch) {
        double s = device.runSeconds();
        for (CostModel.OpCost o : model.ops(batch)) {
            s += o.seconds();
        }
        return s;
    }

    private static long maxBatch(CostModel model, double resident, long memory) {
        if (resident + model.peakActivations(1) > memory) {
            return 0;
        }
        long lo = 1;
        long hi = 2;
        while (hi <= BATCH_LIMIT && resident + model.peakActivations(hi) <= memory) {
            lo = hi;
            hi *= 2;
        }
        if (hi > BATCH_LIMIT) {
            return lo;
        }
        while (hi - lo > 1) {
            long mid = (lo + hi) / 2;
            if (resident + model.peakActivations(mid) <= memory) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static PlanReport.Target target(CostModel model, PlanRequest r, long maxBatch) {
        if (r.videosPerHour() == 0) {
            return null;
        }
        long bestBatch = 0;
        double bestRate = 0;
        double bestLatency = 0;
        for (long b = r.rowsPerVideo(); b <= maxBatch; b += r.rowsPerVideo()) {
            double latency = r.steps() * stepSeconds(model, r.device(), b);
            if (latency > r.latencySeconds()) {
                break;
            }
            double rate = 3600 * (double) (b / r.rowsPerVideo()) / latency;
            if (rate > bestRate) {
                bestRate = rate;
                bestBatch = b;
                bestLatency = latency;
            }
        }
        long devices = bestBatch == 0 ? 0 : (long) Math.ceil(r.videosPerHour() / bestRate);
        return new PlanReport.Target(r.videosPerHour(), r.latencySeconds(), bestBatch, bestLatency, bestRate,
                devices);
    }
}
