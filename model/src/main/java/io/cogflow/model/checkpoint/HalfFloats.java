package io.cogflow.model.checkpoint;

/** IEEE half and bfloat16 to float32 (exact, since both widen without rounding), and float32 to bfloat16. */
public final class HalfFloats {
    private HalfFloats() {
    }

    public static float bf16(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /**
     * float32 to bfloat16 rounded to nearest, ties to even, as PyTorch's {@code .to(torch.bfloat16)} rounds;
     * NaN stays a (quiet) NaN.
     */
    public static short toBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    static float f16(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp != 0) {
            return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
        }
        if (mant == 0) {
            return Float.intBitsToFloat(sign);
        }
        // subnormal half: value = mant * 2^-24, representable as a normal float
        float v = mant * 0x1p-24f;
        return sign != 0 ? -v : v;
    }
}
