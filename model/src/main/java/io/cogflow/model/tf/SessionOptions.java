package io.cogflow.model.tf;

import org.tensorflow.proto.ConfigProto;

/**
 * Thread pools of a TensorFlow session. {@code intraOp} parallelises one op (a MatMul); {@code interOp} runs
 * independent ops side by side. Zero lets TensorFlow choose (one thread per core).
 */
public record SessionOptions(int intraOpThreads, int interOpThreads) {

    public SessionOptions {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must not be negative");
        }
    }

    public static SessionOptions defaults() {
        return new SessionOptions(0, 1);
    }

    public ConfigProto toConfigProto() {
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(interOpThreads)
                .setAllowSoftPlacement(true)
                .build();
    }
}
