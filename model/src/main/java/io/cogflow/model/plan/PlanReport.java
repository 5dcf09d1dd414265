package io.cogflow.model.plan;

import java.util.List;

/**
 * The planner's answer for one graph, device and set of assumptions. Times are roofline estimates, not
 * measurements; bytes are decimal.
 *
 * @param stepSeconds       one denoise call at {@code batch} rows
 * @param overheadSeconds   the part of it that is per-op dispatch and per-run cost
 * @param productFlops      FLOPs of MatMul/BatchMatMul/Conv ops in the graph, per call
 * @param analyticFlops     the same from {@code TransformerFlops} (a cross-check)
 * @param parameters        weight elements the step reads (4 bytes each in float32, 2 in bf16)
 * @param weightBytes       their size in this plan: as stored in an exported model, at the compute type for a config
 * @param maxBatch          the largest batch whose weights, constants and peak activations fit device memory (0:
 *                          not even one row)
 * @param secondsPerVideo   steps × a call's time at {@code batch} ÷ the videos in it
 * @param target            null without a throughput target
 */
public record PlanReport(String model, String device, String deviceSource, String compute, String fusion,
                         String size, int latentFrames, int latentHeight, int latentWidth, long batch, int steps,
                         int rowsPerVideo, int ops, double graphFlops, double productFlops, double analyticFlops,
                         double bytesMoved, double stepSeconds, double overheadSeconds, long parameters,
                         double weightBytes,
                         double constantBytes, double peakActivationBytes, double deviceMemoryBytes, boolean fits,
                         long maxBatch, double secondsPerVideo, List<TypeCost> byType, List<OpCost> topOps,
                         Target target, List<String> notes) {

    /** All ops of one type in a call. */
    public record TypeCost(String type, int count, double flops, double bytes, double seconds, double share) {
    }

    /** One op in a call. */
    public record OpCost(String name, String type, double flops, double bytes, double seconds) {
    }

    /**
     * Devices for a throughput at a latency bound, at the batch that gives the most videos per hour per device
     * within the bound and memory.
     *
     * @param batch   0 when no batch meets the bound (then {@code devices} is 0 too)
     */
    public record Target(double videosPerHour, double latencySeconds, long batch, double videoLatencySeconds,
                         double videosPerHourPerDevice, long devices) {
    }
}
