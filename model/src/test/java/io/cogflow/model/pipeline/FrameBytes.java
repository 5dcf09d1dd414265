package io.cogflow.model.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

/** Comparing 8-bit frames: two runs that differ only by float rounding may differ by one level somewhere. */
final class FrameBytes {
    private FrameBytes() {
    }

    /** The largest per-byte difference of two equally long frame buffers, bytes read as unsigned. */
    static int maxDiff(byte[] a, byte[] b) {
        assertThat(a).hasSameSizeAs(b);
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((a[i] & 0xff) - (b[i] & 0xff)));
        }
        return max;
    }
}
