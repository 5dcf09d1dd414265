package io.cogflow.parity;

import io.cogflow.model.tensor.HostTensor;

import java.util.Arrays;
import java.util.Locale;

/**
 * How far an output is from its reference. One model call passes when max |a − b| ≤ 1e-4 · max |ref| + 1e-5
 * (float32 on CPU); non-finite values never pass.
 */
public record Comparison(long elements, double maxAbsError, double maxAbsReference, double relativeL2,
                         double tolerance, boolean finite) {

    public static final double RELATIVE_TOLERANCE = 1e-4;
    public static final double ABSOLUTE_TOLERANCE = 1e-5;

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

    public String summary() {
        return String.format(Locale.ROOT, "max |err| %.3e (tolerance %.3e, max |ref| %.4g), relative L2 %.3e%s",
                maxAbsError, tolerance, maxAbsReference, relativeL2, finite ? "" : ", NON-FINITE OUTPUT");
    }
}
