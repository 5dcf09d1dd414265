package io.cogflow.parity;

import io.cogflow.model.export.ComputePrecision;
import io.cogflow.model.tensor.HostTensor;

import java.util.Arrays;
import java.util.Locale;

/**
 * How far an output is from its reference. One model call passes when max |a − b| ≤ 1e-4 · max |ref| + 1e-5
 * (float32 on CPU); non-finite values never pass. A graph computing in bfloat16 or float16 is held to
 * {@link #passedAt}: relative L2 ≤ {@value #REDUCED_RELATIVE_L2} and max |a − b| ≤ {@value #REDUCED_MAX_FRACTION}
 * · max |ref|, set from the errors measured on the tiny reference components (docs/precision.md).
 */
public record Comparison(long elements, double maxAbsError, double maxAbsReference, double relativeL2,
                         double tolerance, boolean finite) {

    public static final double RELATIVE_TOLERANCE = 1e-4;
    public static final double ABSOLUTE_TOLERANCE = 1e-5;

    /**
     * Relative L2 of one call of a bf16/fp16 graph. Measured in bf16: denoise 5.0e-3 (2B) and 4.9e-3 (5B),
     * decode 3.4e-3, encode_text 7.0e-3; float16 about 8x less. About 3x room over the worst.
     */
    public static final double REDUCED_RELATIVE_L2 = 2e-2;
    /**
     * Max |a − b| over max |ref| of one call of a bf16/fp16 graph. Measured in bf16: denoise 0.0050, encode_text
     * 0.0090, decode 0.070 (the worst single pixel of 17 frames, after 30 bf16 convolutions). About 2x room.
     */
    public static final double REDUCED_MAX_FRACTION = 0.15;

    public static Comparison of(HostTensor actual, HostTensor reference) {
        if (!Arrays.equals(actual.shape(), reference.shape())) {
            throw new IllegalArgumentException("shape " + actual.shapeString() + " differs from reference "
                    + reference.shapeString());
        }
        float[] a = actual.data();
        float[] r = reference.data();
        double maxErr = 0;
        double maxRef = 0;
        double errSq = 0;
        double refSq = 0;
        boolean finite = true;
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i])) {
                finite = false;
            }
            double e = (double) a[i] - r[i];
            maxErr = Math.max(maxErr, Math.abs(e));
            maxRef = Math.max(maxRef, Math.abs(r[i]));
            errSq += e * e;
            refSq += (double) r[i] * r[i];
        }
        double rel = refSq == 0 ? Math.sqrt(errSq) : Math.sqrt(errSq / refSq);
        return new Comparison(a.length, maxErr, maxRef, rel, RELATIVE_TOLERANCE * maxRef + ABSOLUTE_TOLERANCE,
                finite);
    }

    public boolean passed() {
        return finite && maxAbsError <= tolerance;
    }

    /** {@link #passed()} for a float32 graph, the measured bf16/fp16 bounds for a graph computing in less. */
    public boolean passedAt(ComputePrecision compute) {
        if (!compute.reduced()) {
            return passed();
        }
        return finite && relativeL2 <= REDUCED_RELATIVE_L2 && maxAbsError <= REDUCED_MAX_FRACTION * maxAbsReference;
    }

    public String summary() {
        return String.format(Locale.ROOT, "max |err| %.3e (tolerance %.3e, max |ref| %.4g), relative L2 %.3e%s",
                maxAbsError, tolerance, maxAbsReference, relativeL2, finite ? "" : ", NON-FINITE OUTPUT");
    }
}
