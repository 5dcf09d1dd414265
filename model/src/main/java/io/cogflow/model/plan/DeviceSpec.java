package io.cogflow.model.plan;

/**
 * What the roofline needs to know about a device. Rates are dense (no structured sparsity).
 *
 * @param bf16Flops        matrix-product peak with bf16/fp16 operands, FLOP/s
 * @param tf32Flops        matrix-product peak for float32 operands on TF32 units, FLOP/s; 0 where there are none
 * @param fp32Flops        matrix-product peak for float32 operands without TF32, FLOP/s
 * @param vectorFlops      element-wise peak (float32 vector units), FLOP/s
 * @param bandwidth        memory bandwidth, bytes/s
 * @param cacheBytes       an op moving at most this many bytes runs at {@code cacheBandwidth}; 0 for none
 * @param cacheBandwidth   bandwidth of ops whose data stay in cache, bytes/s
 * @param memoryBytes      device memory
 * @param opSeconds        fixed cost of dispatching one op (executor and kernel launch)
 * @param runSeconds       fixed cost of one {@code Session.run}
 * @param source           where the numbers come from
 */
public record DeviceSpec(String name, double bf16Flops, double tf32Flops, double fp32Flops, double vectorFlops,
                         double bandwidth, long cacheBytes, double cacheBandwidth, long memoryBytes, double opSeconds,
                         double runSeconds, String source) {

    public DeviceSpec {
        if (bf16Flops <= 0 || fp32Flops <= 0 || vectorFlops <= 0 || bandwidth <= 0 || memoryBytes <= 0) {
            throw new IllegalArgumentException(name + ": peaks, bandwidth and memory must be positive");
        }
        if (tf32Flops < 0 || opSeconds < 0 || runSeconds < 0 || cacheBytes < 0 || cacheBandwidth <= 0) {
            throw new IllegalArgumentException(name + ": TF32 peak, cache size and overheads must not be negative, "
                    + "cache bandwidth must be positive");
        }
    }

    /** The bandwidth an op moving this many bytes sees. */
    double bandwidthFor(double bytes) {
        return bytes <= cacheBytes ? cacheBandwidth : bandwidth;
    }

    /** The matrix-product peak for operands of this element size under this compute mode. */
    double productPeak(Compute compute, boolean narrowOperands) {
        if (narrowOperands) {
            return bf16Flops;
        }
        if (compute == Compute.TF32) {
            if (tf32Flops == 0) {
                throw new IllegalArgumentException(name + " has no TF32 units; use --compute float32 or bfloat16");
            }
            return tf32Flops;
        }
        return fp32Flops;
    }
}
