package io.cogflow.model.tf;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;

/**
 * Thread pools of a TensorFlow session. {@code intraOp} parallelises one op (a MatMul); {@code interOp} runs
 * independent ops side by side. Zero lets TensorFlow choose (one thread per core).
 *
 * @param gpuDevices the CUDA device indexes this session may use ("0", "1"), or null for TensorFlow's default
 *                   (all visible GPUs, or the CPU without any). TensorFlow maps one set per process, so a serving
 *                   process pins all its sessions to the same device.
 * @param xlaJit     compile the whole session's graph with XLA (global JIT, on the CPU too). For sessions that run
 *                   one kind of graph (a transformer alone); an exported model chooses XLA per signature instead
 *                   ({@code ModelLoadOptions}), with this off
 */
public record SessionOptions(int intraOpThreads, int interOpThreads, String gpuDevices, boolean xlaJit) {

    public SessionOptions {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must not be negative");
        }
    }

    public SessionOptions(int intraOpThreads, int interOpThreads, String gpuDevices) {
        this(intraOpThreads, interOpThreads, gpuDevices, false);
    }

    public SessionOptions(int intraOpThreads, int interOpThreads) {
        this(intraOpThreads, interOpThreads, null);
    }

    public static SessionOptions defaults() {
        return new SessionOptions(0, 1);
    }

    public SessionOptions onGpus(String devices) {
        return new SessionOptions(intraOpThreads, interOpThreads, devices, xlaJit);
    }

    public SessionOptions withXlaJit(boolean on) {
        return new SessionOptions(intraOpThreads, interOpThreads, gpuDevices, on);
    }

    public ConfigProto toConfigProto() {
        ConfigProto.Builder b = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(interOpThreads)
                .setAllowSoftPlacement(true);
        if (gpuDevices != null && !gpuDevices.isBlank()) {
            b.setGpuOptions(GPUOptions.newBuilder().setVisibleDeviceList(gpuDevices).setAllowGrowth(true));
        }
        if (xlaJit) {
            // the level alone clusters only GPU graphs; cpu_global_jit extends it to the CPU
            b.setGraphOptions(GraphOptions.newBuilder().setOptimizerOptions(OptimizerOptions.newBuilder()
                    .setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1).setCpuGlobalJit(true)));
        }
        return b.build();
    }
}
