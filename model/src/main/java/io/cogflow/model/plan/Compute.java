package io.cogflow.model.plan;

import java.util.Locale;

/**
 * How the matrix products (MatMul, BatchMatMul, Conv) of a planned graph compute.
 * {@code FLOAT32}: float32 operands on the plain float32 units. {@code TF32}: float32 tensors, products on the
 * TF32 tensor cores (what TensorFlow does by default for float32 on Ampere and newer GPUs). {@code BFLOAT16}:
 * bf16 operands and outputs at the bf16 peak.
 */
public enum Compute {
    FLOAT32, TF32, BFLOAT16;

    public static Compute parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "float32" -> FLOAT32;
            case "tf32" -> TF32;
            case "bfloat16" -> BFLOAT16;
            default -> throw new IllegalArgumentException("compute '" + s + "' is not one of float32, tf32, bfloat16");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
