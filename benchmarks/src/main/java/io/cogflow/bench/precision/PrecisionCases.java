package io.cogflow.bench.precision;

import io.cogflow.model.pipeline.VideoSize;

import java.nio.file.Path;

/**
 * The models {@code cogflow bench precision} compares by name. The transformer configs are those of
 * {@code cogflow bench transformer}'s presets ({@code BenchmarkCases}), as config.json text because they are
 * written into a model folder and exported: {@code tiny-2b} the golden 2B-family config on 3×8×8 latents (64×64×9
 * video), {@code mid} D 512 (8 heads × 64), 8 layers, RoPE, 4,096-dim text of 226 tokens on 3×32×32 latents
 * (256×256×9). {@code demo} is the bundled demo model (or the exported model given), with its own weights.
 */
public final class PrecisionCases {
    static final String TINY_2B = """
            {"num_attention_heads": 2, "attention_head_dim": 16, "in_channels": 4, "out_channels": 4,
             "time_embed_dim": 32, "text_embed_dim": 32, "num_layers": 2, "max_text_seq_length": 12,
             "sample_frames": 9, "sample_height": 8, "sample_width": 8}""";
    static final String MID = """
            {"num_attention_heads": 8, "attention_head_dim": 64, "num_layers": 8,
             "use_rotary_positional_embeddings": true}""";

    private PrecisionCases() {
    }

    public static PrecisionBenchmark.Case named(String name, Path demoModel) {
        return switch (name) {
            case "tiny-2b" -> PrecisionBenchmark.Case.seeded(name, TINY_2B, VideoSize.parse("64x64x9"));
            case "demo" -> PrecisionBenchmark.Case.exported(name, demoModel);
            case "mid" -> PrecisionBenchmark.Case.seeded(name, MID, VideoSize.parse("256x256x9"));
            default -> throw new IllegalArgumentException("unknown case '" + name + "'; known: tiny-2b, demo, mid");
        };
    }
}
