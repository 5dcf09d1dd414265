package io.cogflow.model.tf;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * Thread pools of a TensorFlow session. {@code intraOp} parallelises one op (a MatMul); {@code interOp} runs
 * independent ops side by side. Zero lets TensorFlow choose (one thread per core).
 *
 * @param gpuDevices the CUDA device indexes this session may use ("0", "1"), or null for TensorFlow's default
 *                   (all visible GPUs, or the CPU without any). TensorFlow maps one set per process, so a serving
 *                   process pins all its sessions to the same device.
 */
public record SessionOptions(int intraOpThreads, int interOpThreads, String gpuDevices) {

    public SessionOptions {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must not be negative");
        }
    }

    public SessionOptions(int intraOpThreads, int interOpThreads) {
        this(intraOpThreads, interOpThreads, null);
    }

    public static SessionOptions defaults() {
        return new SessionOptions(0, 1);
    }

    public SessionOptions onGpus(String devices) {
        return new SessionOptions(intraOpThreads, interOpThreads, devices);
    }

    public ConfigProto toConfigProto() {
        ConfigProto.Builder b = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(interOpThreads)
                .setAllowSoftPlacement(true);
        if (gpuDevices != null && !gpuDevices.isBlank()) {
            b.setGpuOptions(GPUOptions.newBuilder().setVisibleDeviceList(gpuDevices).setAllowGrowth(true));
        }
        return b.build();
    }
}
