package io.cogflow.model.export;

import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.transformer.AttentionBudget;

import java.util.List;

/**
 * How {@code cogflow export} builds a model.
 *
 * @param dtype  {@code float32}, or {@code bfloat16} to store weights at half the size (computation stays float32)
 * @param sizes  the video sizes to build signatures for; empty means the transformer's sample size
 * @param budget attention budget per sample (the exported batch is free, so chunking is planned per sample)
 */
public record ExportOptions(String dtype, List<VideoSize> sizes, AttentionBudget budget) {

    public ExportOptions {
        if (!dtype.equals("float32") && !dtype.equals("bfloat16")) {
            throw new IllegalArgumentException("--dtype must be float32 or bfloat16, got '" + dtype + "'");
        }
        sizes = List.copyOf(sizes);
    }

    public static ExportOptions defaults() {
        return new ExportOptions("float32", List.of(), AttentionBudget.DEFAULT);
    }
}
