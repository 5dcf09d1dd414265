package io.cogflow.model.export;

import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.transformer.AttentionBudget;

import java.nio.file.Path;
import java.util.List;

/**
 * How {@code cogflow export} builds a model.
 *
 * @param dtype      {@code float32}, or {@code bfloat16} to store weights at half the size (computation stays
 *                   float32)
 * @param sizes      the video sizes to build signatures for; empty means the transformer's sample size
 * @param budget     attention score memory for a whole batch up to its max batch (the exported batch is free, so
 *                   chunking is planned for the max batch; the manifest records both)
 * @param sourceName what the manifest records as the model's source, or null for the source folder's own name.
 *                   A name, never a path: the model is copied to other machines, where the exporting machine's
 *                   folders mean nothing
 */
public record ExportOptions(String dtype, List<VideoSize> sizes, AttentionBudget budget, String sourceName) {

    public ExportOptions {
        if (!dtype.equals("float32") && !dtype.equals("bfloat16")) {
            throw new IllegalArgumentException("--dtype must be float32 or bfloat16, got '" + dtype + "'");
        }
        sizes = List.copyOf(sizes);
        if (sourceName != null) {
            checkName(sourceName);
        }
    }

    /** Options that record the source folder's own name. */
    public ExportOptions(String dtype, List<VideoSize> sizes, AttentionBudget budget) {
        this(dtype, sizes, budget, null);
    }

    public static ExportOptions defaults() {
        return new ExportOptions("float32", List.of(), AttentionBudget.DEFAULT);
    }

    /** The name to record for a model exported from {@code from}: the one given, else the folder's own name. */
    public String sourceNameFor(Path from) {
        if (sourceName != null) {
            return sourceName;
        }
        Path folder = from.toAbsolutePath().normalize().getFileName();
        if (folder == null) {
            throw new IllegalArgumentException(from + " has no folder name to record as the model's source; "
                    + "give the export a name");
        }
        return folder.toString();
    }

    private static void checkName(String name) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("--name must not be blank");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("--name must be a name, not a path, got '" + name + "'");
        }
    }
}
