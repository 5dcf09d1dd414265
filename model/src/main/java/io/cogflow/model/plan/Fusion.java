package io.cogflow.model.plan;

import java.util.Locale;

/**
 * What the planner assumes a compiler fuses. {@code NONE}: every op reads its inputs from and writes its outputs
 * to memory (TensorFlow's graph executor). {@code XLA}: chains of element-wise, reduction, softmax and layout ops
 * become one kernel each; tensors passed only between such ops never reach memory. {@code XLA_ATTENTION}: XLA,
 * and every BatchMatMul → Softmax → BatchMatMul becomes one fused-attention kernel whose scores and
 * probabilities never reach memory (what XLA's cuDNN fused-attention rewrite does for bf16/fp16 on GPUs).
 */
public enum Fusion {
    NONE, XLA, XLA_ATTENTION;

    public static Fusion parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "xla" -> XLA;
            case "xla-attention" -> XLA_ATTENTION;
            default -> throw new IllegalArgumentException("fusion '" + s + "' is not one of none, xla, xla-attention");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
