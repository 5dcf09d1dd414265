package io.cogflow.model.checkpoint;

/** Element types of the safetensors format that cogflow reads. */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloating() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    static DType parse(String name, String tensor) {
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("tensor '" + tensor + "' has dtype " + name
                    + ", which cogflow does not read (supported: F64, F32, F16, BF16, I64, I32)");
        }
    }
}
