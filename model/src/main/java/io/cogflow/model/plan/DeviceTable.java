package io.cogflow.model.plan;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The devices {@code cogflow plan --gpu} knows: datasheet figures for data-centre GPUs, and {@code cpu}, this
 * machine, measured when asked for ({@link CpuProbe}).
 *
 * <p>GPU peaks are NVIDIA's dense tensor-core figures: the datasheets print BF16/FP16 and TF32 with structured
 * sparsity ("*"), twice the dense rate used here. Memory is the datasheet's decimal GB. Nothing here was
 * measured on a GPU. The per-op dispatch cost on a GPU (5 µs: TensorFlow's executor launching one kernel) is an
 * assumption, not a datasheet figure; it is visible only for graphs with thousands of small ops. GPU caches are
 * not modelled (every op streams from HBM), which errs on the slow side for small tensors.
 */
public final class DeviceTable {
    private static final double T = 1e12;
    private static final double GPU_OP_SECONDS = 5e-6;
    private static final long GB = 1_000_000_000L;

    private static final Map<String, DeviceSpec> GPUS = new LinkedHashMap<>();

    static {
        add(new DeviceSpec("h100", 989.4 * T, 494.7 * T, 66.9 * T, 66.9 * T, 3.35e12, 0, 3.35e12, 80 * GB,
                GPU_OP_SECONDS, 0,
                "NVIDIA H100 Tensor Core GPU datasheet, SXM5 column (resources.nvidia.com/en-us-tensor-core/"
                        + "nvidia-tensor-core-gpu-datasheet): BF16 1,979 / TF32 989 TFLOP/s with sparsity, FP32 "
                        + "67 TFLOP/s, 80 GB HBM3, 3.35 TB/s"));
        add(new DeviceSpec("h200", 989.4 * T, 494.7 * T, 66.9 * T, 66.9 * T, 4.8e12, 0, 4.8e12, 141 * GB,
                GPU_OP_SECONDS, 0,
                "NVIDIA H200 Tensor Core GPU datasheet, SXM column (nvidia.com/en-us/data-center/h200): the H100's "
                        + "compute, 141 GB HBM3e, 4.8 TB/s"));
        add(new DeviceSpec("a100", 312 * T, 156 * T, 19.5 * T, 19.5 * T, 2.039e12, 0, 2.039e12, 80 * GB,
                GPU_OP_SECONDS, 0,
                "NVIDIA A100 Tensor Core GPU datasheet (nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf), "
                        + "A100 80GB SXM: BF16 312 / TF32 156 TFLOP/s dense, FP32 19.5 TFLOP/s, 2,039 GB/s"));
        add(new DeviceSpec("l40s", 362.05 * T, 183 * T, 91.6 * T, 91.6 * T, 0.864e12, 0, 0.864e12, 48 * GB,
                GPU_OP_SECONDS, 0,
                "NVIDIA L40S datasheet (resources.nvidia.com/en-us-l40s/l40s-datasheet): BF16 733 / TF32 366 "
                        + "TFLOP/s with sparsity, FP32 91.6 TFLOP/s, 48 GB GDDR6, 864 GB/s"));
    }

    private static void add(DeviceSpec d) {
        GPUS.put(d.name(), d);
    }

    private DeviceTable() {
    }

    /** The names {@link #lookup} accepts. */
    public static java.util.List<String> names() {
        java.util.List<String> n = new java.util.ArrayList<>(GPUS.keySet());
        n.add("cpu");
        return n;
    }

    /** A datasheet device, or {@code cpu} measured now by {@code probe}. */
    public static DeviceSpec lookup(String name, Supplier<DeviceSpec> probe) {
        String key = name.toLowerCase(Locale.ROOT);
        if (key.equals("cpu")) {
            return probe.get();
        }
        DeviceSpec d = GPUS.get(key);
        if (d == null) {
            throw new IllegalArgumentException("unknown device '" + name + "'; known: " + names());
        }
        return d;
    }
}
