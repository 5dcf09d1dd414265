package io.cogflow.model.export;

/**
 * How an exported model's graph is prepared when it is loaded for serving (the SavedModel on disk is not
 * changed): which signature kinds XLA compiles, where the text encoder runs, and how much of the checkpoint one
 * restore step may hold in host memory.
 *
 * @param restoreGroupBytes the most tensor bytes one {@code RestoreV2} reads before its values are assigned to the
 *                          variables and freed; a single tensor larger than this is read alone
 */
public record ModelLoadOptions(XlaSignatures xla, TextEncoderDevice textEncoder, long restoreGroupBytes) {
    /** 1 GiB: a few of the largest tensors of a full-size model (T5-XXL's embedding is 0.5 GB in float32). */
    public static final long DEFAULT_RESTORE_GROUP_BYTES = 1L << 30;

    public ModelLoadOptions {
        if (xla == null || textEncoder == null) {
            throw new IllegalArgumentException("xla and text encoder device must be given");
        }
        if (restoreGroupBytes < 1) {
            throw new IllegalArgumentException("restore group bytes must be positive, got " + restoreGroupBytes);
        }
    }

    public static ModelLoadOptions defaults() {
        return new ModelLoadOptions(XlaSignatures.DEFAULT, TextEncoderDevice.MODEL, DEFAULT_RESTORE_GROUP_BYTES);
    }

    public ModelLoadOptions withXla(XlaSignatures x) {
        return new ModelLoadOptions(x, textEncoder, restoreGroupBytes);
    }

    public ModelLoadOptions withTextEncoder(TextEncoderDevice d) {
        return new ModelLoadOptions(xla, d, restoreGroupBytes);
    }

    public ModelLoadOptions withRestoreGroupBytes(long bytes) {
        return new ModelLoadOptions(xla, textEncoder, bytes);
    }
}
