package io.cogflow.model.export;

import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.transformer.AttentionBudget;

import java.nio.file.Path;
import java.util.List;

/**
 * How {@code cogflow export} builds a model.
 *
 * @param dtype      weight storage: {@code float32}, {@code bfloat16} (half the size; with compute float32 the
 *                   weights are widened where read), or {@code float16} (only with compute float16). A reduced
 *                   compute precision stores the weights in its own type, so that they are narrowed once, at load
 *                   ({@link #compute}); any other storage is refused rather than silently changed
 * @param sizes      the video sizes to build signatures for; empty means the transformer's sample size
 * @param budget     attention budget per sample (the exported batch is free, so chunking is planned per sample)
 * @param sourceName what the manifest records as the model's source, or null for the source folder's own name.
 *                   A name, never a path: the model is copied to other machines, where the exporting machine's
 *                   folders mean nothing
 * @param compute    the precision the graph computes in ({@link MixedPrecisionRewrite}); float32 by default
 */
public record ExportOptions(String dtype, List<VideoSize> sizes, AttentionBudget budget, String sourceName,
                            ComputePrecision compute) {

    public ExportOptions {
        if (!dtype.equals("float32") && !dtype.equals("bfloat16") && !dtype.equals("float16")) {
            throw new IllegalArgumentException("--dtype must be float32, bfloat16 or float16, got '" + dtype + "'");
        }
        if (compute.reduced() && !dtype.equals(compute.id())) {
            throw new IllegalArgumentException("--compute " + compute.id() + " stores the weights as "
                    + compute.id() + " (read directly by the " + compute.id() + " matmuls, narrowed once at load); "
                    + "--dtype " + dtype + " contradicts it: leave --dtype out or give --dtype " + compute.id());
        }
        if (dtype.equals("float16") && !compute.reduced()) {
            throw new IllegalArgumentException("--dtype float16 is only for --compute float16; to halve the "
                    + "weights of a float32 graph use --dtype bfloat16");
        }
        sizes = List.copyOf(sizes);
        if (sourceName != null) {
            checkName(sourceName);
        }
    }

    /** Options of a float32 graph. */
    public ExportOptions(String dtype, List<VideoSize> sizes, AttentionBudget budget, String sourceName) {
        this(dtype, sizes, budget, sourceName, ComputePrecision.FLOAT32);
    }

    /** Options of a float32 graph that record the source folder's own name. */
    public ExportOptions(String dtype, List<VideoSize> sizes, AttentionBudget budget) {
        this(dtype, sizes, budget, null);
    }

    /**
     * Options of a graph computing in {@code compute}, weights stored in it (float32 storage for float32); a
     * {@code null} sourceName records the source folder's own name.
     */
    public static ExportOptions computing(ComputePrecision compute, List<VideoSize> sizes, AttentionBudget budget,
                                          String sourceName) {
        return new ExportOptions(compute.id(), sizes, budget, sourceName, compute);
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
